// A desktop hint for `shimgate watch`: `notify-send` per new request when there is a graphical session
// to show it in. Never required, never waited for; a failure is ignored (the console has the request).
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export const NOTIFY_TITLE = 'shimgate: approval needed';

/** A function that shows one notification, or null when notify-send or a display is missing. */
export function desktopNotifier(env: Readonly<Record<string, string | undefined>>): ((body: string) => void) | null {
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  const program = findOnPath('notify-send', env.PATH ?? '');
  if (program === null) return null;
  return (body) => {
    // notify-send reads a leading "-" as an option; the title never starts with one, the body might.
    const text = body.startsWith('-') ? ` ${body}` : body;
    try {
      const child = spawn(program, [NOTIFY_TITLE, text], { stdio: 'ignore', env: { ...process.env, ...env } });
      child.on('error', () => {});
      child.unref();
    } catch {
      // ignored: see the header
    }
  };
}

/** Absolute PATH entries only: a relative one would run whatever is in the current directory. */
function findOnPath(name: string, path: string): string | null {
  for (const dir of path.split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
