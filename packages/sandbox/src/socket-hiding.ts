// Other programs' Unix sockets the agent must never reach. A read-only bind does not stop connect()
// on a socket inside it, and path sockets ignore network namespaces (LINUX-NOTES), so the only defence
// is that the agent cannot see them: their runtime dirs are hidden, and every other socket file bound
// on this host is covered.
//
// Finding them: /proc/net/unix lists every path socket bound in this network namespace, with its path,
// so it finds sockets anywhere (also deep inside a workdir) at the cost of reading one small file —
// where a walk of the bound trees would have to stop at some depth or count (/usr alone holds >100k
// entries). What it cannot list are sockets bound in another network namespace (containers); the
// container runtimes' own dirs are in KNOWN_SOCKET_DIRS for that reason.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';

/** Runtime and socket dirs of other programs, hidden whole when a bind shows them. */
const KNOWN_SOCKET_DIRS = [
  '/run/user', // per-user runtime dirs: dbus, gpg-agent, pulse, wayland, systemd --user, podman
  '/run/dbus', '/var/run/dbus',
  '/run/docker', '/run/docker.sock', '/var/run/docker.sock',
  '/run/containerd', '/run/podman', '/run/crio', '/run/snapd.socket', '/run/snapd-snap.socket',
  '/run/screen', '/var/run/screen',
  '/tmp/.X11-unix', '/tmp/.ICE-unix', '/tmp/.XIM-unix', '/tmp/.font-unix',
];

/** Prefixes of per-user socket dirs programs make in /tmp (tmux-<uid>, ssh-XXXX, screen's S-<user>…). */
const TMP_SOCKET_DIR_PREFIXES = ['tmux-', 'ssh-', 'screens', 'gpg-', 'keyring-', 'pulse-', 'dbus-', 'orbit-', 'vscode-'];

export interface SocketHidingInput {
  env: NodeJS.ProcessEnv;
  /** Where the session's own sockets live: those stay reachable (the agent dir) or hidden anyway. */
  ownRoot: string;
  /** Tests point these at a fixture; by default the host's. */
  procNetUnix?: string;
  tmpDir?: string;
}

/** Paths to hide (dirs or socket files); some may not exist, and the caller skips those. */
export function hostSocketPaths(input: SocketHidingInput): string[] {
  const fromEnv = [
    input.env.XDG_RUNTIME_DIR,
    input.env.SSH_AUTH_SOCK ? dirname(input.env.SSH_AUTH_SOCK) : undefined,
    input.env.TMUX ? dirname(input.env.TMUX.split(',')[0] as string) : undefined,
    input.env.GNUPGHOME,
  ].filter((p): p is string => typeof p === 'string' && isAbsolute(p));
  const own = (p: string): boolean => p === input.ownRoot || p.startsWith(`${input.ownRoot}/`);
  const paths = [...KNOWN_SOCKET_DIRS, ...tmpSocketDirs(input.tmpDir ?? '/tmp'), ...fromEnv, ...boundSocketFiles(input.procNetUnix ?? '/proc/net/unix')];
  // The session's own sockets are hidden with the runtime root, and the agent dir is re-bound last; a
  // hidden dir that holds the runtime root (XDG_RUNTIME_DIR) is fine: the agent dir reappears inside it.
  return [...new Set(paths)].filter((p) => !own(p));
}

function tmpSocketDirs(tmp: string): string[] {
  try {
    return readdirSync(tmp).filter((name) => TMP_SOCKET_DIR_PREFIXES.some((prefix) => name.startsWith(prefix))).map((name) => join(tmp, name));
  } catch {
    return [];
  }
}

/**
 * Num: RefCount Protocol Flags Type St Inode Path — the inode is space-padded; the path is everything
 * after the single space that follows it, kept byte for byte (it may hold runs of spaces).
 */
const UNIX_LINE = /^[0-9a-f]+: [0-9a-f]+ [0-9a-f]+ [0-9a-f]+ [0-9a-f]+ [0-9a-f]+ +\d+ (.*)$/i;

/** The path of every bound path socket of /proc/net/unix (abstract ones start with "@", unnamed have none). */
export function boundSocketFiles(procNetUnix: string): string[] {
  let text: string;
  try {
    text = readFileSync(procNetUnix, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').slice(1).flatMap((line) => {
    const path = UNIX_LINE.exec(line)?.[1];
    return path !== undefined && path.startsWith('/') ? [path] : [];
  });
}
