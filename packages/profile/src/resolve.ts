// Resolve a profile reference into the ResolvedProfile the rest of shimgate reads:
// load → follow `extends` (depth-limited, cycles refused) → fold bases left to right → child on top
// → fill defaults → expand $VARs (DESIGN §2.1–§2.2).
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { ShimgateError } from './errors.js';
import { expandProfile, type ExpansionContext } from './expand.js';
import { loadProfileFile } from './load.js';
import { locateProfile, type ProfileDirs } from './locate.js';
import { mergeProfiles } from './merge.js';
import { normalizeProfile } from './normalize.js';
import type { ProfileDocument, ResolvedProfile } from './types.js';

/** How many `extends` hops a chain may take below the profile named on the command line. */
export const MAX_EXTENDS_DEPTH = 16;

export interface ResolveOptions {
  dirs: ProfileDirs;
  expansion: ExpansionContext;
  /** Where a path given on the command line is relative to (default: process.cwd()). */
  cwd?: string;
}

export interface Resolution {
  profile: ResolvedProfile;
  /** The merged profile before defaults and expansion (what the files say, combined). */
  merged: ProfileDocument;
  /** Every file that took part, in the order their content was merged (bases first). */
  sources: string[];
}

export function resolveProfile(ref: string, options: ResolveOptions): Resolution {
  const top = locateProfile(ref, options.cwd ?? process.cwd(), options.dirs);
  const files = linearize(top, options.dirs);
  const merged = files.reduce<ProfileDocument>((acc, file) => mergeProfiles(acc, file.doc), {});
  const profile = expandProfile(normalizeProfile(merged), options.expansion);
  return { profile, merged, sources: files.map((f) => f.path) };
}

interface LoadedFile {
  path: string;
  doc: ProfileDocument;
}

/**
 * Every file of the extends graph once, each after all of its bases (depth-first, bases left to right).
 * Folding that list merges each file's own content once: merging whole subtrees instead would let a
 * diamond's second branch re-apply the shared base over the first branch's overrides.
 */
function linearize(top: string, dirs: ProfileDirs): LoadedFile[] {
  const order: LoadedFile[] = [];
  const seen = new Set<string>();
  const visit = (path: string, chain: readonly string[]): void => {
    const key = realpathSync(path);
    if (chain.includes(key)) {
      const loop = [...chain.slice(chain.indexOf(key)), key].join(' → ');
      throw new ShimgateError('PROFILE_CYCLE', `profile extends itself: ${loop}\nremove one of these "extends" entries`);
    }
    if (chain.length > MAX_EXTENDS_DEPTH) {
      throw new ShimgateError(
        'PROFILE_DEPTH',
        `profile "extends" chain is deeper than ${MAX_EXTENDS_DEPTH}: ${[...chain, key].join(' → ')}`,
      );
    }
    if (seen.has(key)) return;
    const doc = loadProfileFile(path);
    const bases = doc.extends === undefined ? [] : ([] as string[]).concat(doc.extends);
    for (const base of bases) visit(locateBase(base, key, dirs), [...chain, key]);
    seen.add(key);
    order.push({ path: key, doc });
  };
  visit(top, []);
  return order;
}

function locateBase(ref: string, from: string, dirs: ProfileDirs): string {
  try {
    return locateProfile(ref, dirname(from), dirs);
  } catch (err) {
    if (!(err instanceof ShimgateError)) throw err;
    throw new ShimgateError(err.code, `${from}: /extends: ${err.message}`, { cause: err });
  }
}
