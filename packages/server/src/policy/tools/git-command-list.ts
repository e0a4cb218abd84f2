// The session's git commands, listed once at session start (git-hardening.ts refuses any other
// subcommand: git would run it as an alias). Spawns the real git with no config of anyone's.
import { execFileSync } from 'node:child_process';
import type { GitCommands } from './git-hardening.js';

/** Whichever git installation is there: the list has these, or it is not git's. */
const ALWAYS_LISTED = ['commit', 'status', 'push'];
const LIST_TIMEOUT_MS = 10_000;

export function listGitCommands(binary: string | null): GitCommands {
  if (binary === null) return { problem: 'git was not found at session start' };
  let stdout: string;
  try {
    stdout = execFileSync(binary, ['--list-cmds=builtins,main'], {
      cwd: '/',
      env: { PATH: '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: '/nonexistent' },
      encoding: 'utf8',
      timeout: LIST_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    return { problem: `${binary} --list-cmds=builtins,main failed: ${(err as Error).message.split('\n')[0]}` };
  }
  return parseGitCommandList(binary, stdout);
}

export function parseGitCommandList(binary: string, stdout: string): GitCommands {
  const names = new Set(stdout.split('\n').map((line) => line.trim()).filter((line) => /^[A-Za-z0-9][\w.-]*$/.test(line)));
  const missing = ALWAYS_LISTED.filter((name) => !names.has(name));
  if (missing.length > 0) return { problem: `${binary} --list-cmds=builtins,main does not list ${missing.join(', ')}: is it git (2.18 or later)?` };
  return names;
}
