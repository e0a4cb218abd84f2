// Where a profile reference points (DESIGN §2.2): a name is looked up in the user's profile directory,
// then in the built-in profiles/; a reference with a `/` or a profile extension is a path relative to
// the file that names it (or to the current directory on the command line).
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShimgateError } from './errors.js';

export const PROFILE_EXTENSIONS = ['.json', '.yaml', '.yml'] as const;

/** The built-in profiles shipped in the repository's profiles/ directory. */
export const BUILTIN_PROFILE_DIR = fileURLToPath(new URL('../../../profiles', import.meta.url));

export interface ProfileDirs {
  /** `$XDG_CONFIG_HOME/shimgate/profiles` (searched first). */
  user: string;
  builtin: string;
}

export function userProfileDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const configHome = env.XDG_CONFIG_HOME || join(home, '.config');
  return join(configHome, 'shimgate', 'profiles');
}

export function isPathReference(ref: string): boolean {
  return ref.includes('/') || PROFILE_EXTENSIONS.some((ext) => ref.endsWith(ext));
}

/** The file a reference names; `relativeTo` is the directory of the file holding the reference. */
export function locateProfile(ref: string, relativeTo: string, dirs: ProfileDirs): string {
  if (ref === '') throw new ShimgateError('PROFILE_NOT_FOUND', 'an empty profile reference names nothing');
  if (isPathReference(ref)) {
    const path = isAbsolute(ref) ? ref : resolve(relativeTo, ref);
    if (!existsSync(path)) {
      throw new ShimgateError('PROFILE_NOT_FOUND', `profile file ${path} does not exist`);
    }
    return path;
  }
  for (const dir of [dirs.user, dirs.builtin]) {
    const found = findNamed(dir, ref);
    if (found) return found;
  }
  throw new ShimgateError(
    'PROFILE_NOT_FOUND',
    `no profile named "${ref}": looked for ${ref}.json/.yaml/.yml in ${dirs.user} and ${dirs.builtin}` +
      ' (write "./' + ref + '.json" to name a file instead)',
  );
}

function findNamed(dir: string, name: string): string | undefined {
  return PROFILE_EXTENSIONS.map((ext) => join(dir, name + ext)).find((p) => existsSync(p));
}

export interface ListedProfile {
  name: string;
  path: string;
  origin: 'user' | 'built-in';
  /** A user profile of the same name hides this built-in one. */
  shadowed: boolean;
}

export function listProfiles(dirs: ProfileDirs): ListedProfile[] {
  const user = profileNamesIn(dirs.user);
  const builtin = profileNamesIn(dirs.builtin);
  const userNames = new Set(user.map((p) => p.name));
  return [
    ...user.map((p) => ({ ...p, origin: 'user' as const, shadowed: false })),
    ...builtin.map((p) => ({ ...p, origin: 'built-in' as const, shadowed: userNames.has(p.name) })),
  ];
}

function profileNamesIn(dir: string): { name: string; path: string }[] {
  if (!existsSync(dir)) return [];
  const seen = new Set<string>();
  const found: { name: string; path: string }[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const ext = PROFILE_EXTENSIONS.find((e) => entry.endsWith(e));
    if (!ext) continue;
    const name = entry.slice(0, -ext.length);
    if (seen.has(name)) continue; // same precedence as lookup: .json before .yaml before .yml
    seen.add(name);
    found.push({ name, path: findNamed(dir, name) ?? join(dir, entry) });
  }
  return found;
}
