// Runs a program with three given fds as its stdio. Not child_process.spawn: libuv 1.46 forks, and a fork
// costs in proportion to the server's RSS (LINUX-NOTES: 2 ms at 51 MiB, 44 ms at 1 GiB); glibc's
// posix_spawn uses clone(CLONE_VM | CLONE_VFORK) and does not.
// Measured here (Node 20.20, 2-core VM shared with other jobs, load ≈ 4), /bin/true, 200 runs: the
// spawnWithFds call p50 0.7-2.9 ms and spawn + reap p50 4.5-11 ms, with no trend between RSS 53 MiB and
// 1 GiB; child_process.spawn + exit p50 11.7 ms at 55 MiB, 53 ms at 1 GiB.
import { isAbsolute } from 'node:path';
import koffi from 'koffi';
import {
  POSIX_SPAWNATTR_SIZE,
  POSIX_SPAWN_FILE_ACTIONS_SIZE,
  POSIX_SPAWN_SETSID,
  POSIX_SPAWN_SETSIGDEF,
  POSIX_SPAWN_SETSIGMASK,
  SIGSET_SIZE,
  errnoError,
  libc,
} from './libc.js';

export interface SpawnWithFdsOptions {
  /** Absolute path of the program; there is no PATH lookup. */
  file: string | Buffer;
  /** argv[0] included. Buffers pass raw bytes (not UTF-8) through unchanged. */
  argv: readonly (string | Buffer)[];
  /** The whole environment, as "NAME=value" entries; nothing is inherited. */
  env: readonly (string | Buffer)[];
  /**
   * Where the child starts: a path, or `{ fd }`, a directory fd (a caller's cwd passed by the shim),
   * entered with fchdir so no path is ever resolved in the server's view of the filesystem.
   */
  cwd: string | Buffer | { fd: number };
  /** Fds that become the child's 0, 1 and 2; the caller still owns (and should close) its copies. */
  stdio: readonly [number, number, number];
  /** setsid() in the child, so the child leads a process group signalProcessGroup can reach. */
  newSession: boolean;
}

/** Spawns the child and returns its pid; reap it with a ChildReaper. Throws an errno Error on failure. */
export function spawnWithFds(opts: SpawnWithFdsOptions): number {
  const file = cString(opts.file, 'file');
  if (!isAbsolute(file.subarray(0, -1).toString('latin1'))) {
    throw new Error(`spawnWithFds: file must be an absolute path, not ${JSON.stringify(String(opts.file))}`);
  }
  if (opts.argv.length === 0) throw new Error('spawnWithFds: argv must hold at least argv[0]');
  for (const fd of opts.stdio) {
    if (!Number.isInteger(fd) || fd < 0) throw new Error(`spawnWithFds: stdio fd ${fd} is not a valid fd`);
  }
  const argv = cStringArray(opts.argv, 'argv');
  const envp = cStringArray(opts.env, 'env');
  const cwd = typeof opts.cwd === 'object' && !Buffer.isBuffer(opts.cwd) ? opts.cwd : cString(opts.cwd, 'cwd');

  const c = libc();
  const actions = Buffer.alloc(POSIX_SPAWN_FILE_ACTIONS_SIZE);
  const attr = Buffer.alloc(POSIX_SPAWNATTR_SIZE);
  check(c.posix_spawn_file_actions_init(actions), 'posix_spawn_file_actions_init');
  try {
    check(c.posix_spawnattr_init(attr), 'posix_spawnattr_init');
    try {
      // fchdir first: the stdio shuffle below may reuse the dir fd's number as a scratch fd.
      if (Buffer.isBuffer(cwd)) check(c.posix_spawn_file_actions_addchdir_np(actions, cwd), 'posix_spawn_file_actions_addchdir_np');
      else check(c.posix_spawn_file_actions_addfchdir_np(actions, cwd.fd), 'posix_spawn_file_actions_addfchdir_np');
      addStdio(actions, opts.stdio);
      // Belt and braces over O_CLOEXEC: whatever the server holds open, the child gets 0-2 only.
      check(c.posix_spawn_file_actions_addclosefrom_np(actions, 3), 'posix_spawn_file_actions_addclosefrom_np');
      setSignals(attr);
      const flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (opts.newSession ? POSIX_SPAWN_SETSID : 0);
      check(c.posix_spawnattr_setflags(attr, flags), 'posix_spawnattr_setflags');

      const pid = Buffer.alloc(4);
      // posix_spawn returns the error number (of the exec too: glibc reports it back from the child).
      check(c.posix_spawn(pid, file, actions, attr, argv, envp), 'posix_spawn', String(opts.file));
      return pid.readInt32LE();
    } finally {
      c.posix_spawnattr_destroy(attr);
    }
  } finally {
    c.posix_spawn_file_actions_destroy(actions);
  }
}

// Each source goes first to a scratch fd that is none of the sources, then onto its target: with
// stdio [1, 0, 2] or [5, 5, 5] a direct dup2 onto 0 would clobber a source still needed, and
// dup2(fd, fd) would keep the close-on-exec flag a received fd carries. closefrom(3) drops the scratch fds.
function addStdio(actions: Buffer, stdio: readonly number[]): void {
  const c = libc();
  const scratch: number[] = [];
  for (let fd = 3; scratch.length < stdio.length; fd++) {
    if (!stdio.includes(fd)) scratch.push(fd);
  }
  const dup2 = (fd: number, target: number): void =>
    check(c.posix_spawn_file_actions_adddup2(actions, fd, target), 'posix_spawn_file_actions_adddup2');
  stdio.forEach((fd, i) => dup2(fd, scratch[i]!));
  scratch.forEach((fd, i) => dup2(fd, i));
}

// Node ignores SIGPIPE and may block signals in its threads; a child must start with every signal at its
// default and none blocked, or `yes | head -c1` ends with status 1 instead of dying of SIGPIPE.
function setSignals(attr: Buffer): void {
  const c = libc();
  const all = Buffer.alloc(SIGSET_SIZE);
  const none = Buffer.alloc(SIGSET_SIZE);
  check(c.sigfillset(all) === 0 ? 0 : -1, 'sigfillset');
  check(c.sigemptyset(none) === 0 ? 0 : -1, 'sigemptyset');
  check(c.posix_spawnattr_setsigdefault(attr, all), 'posix_spawnattr_setsigdefault');
  check(c.posix_spawnattr_setsigmask(attr, none), 'posix_spawnattr_setsigmask');
}

function check(result: number, call: string, subject?: string): void {
  if (result !== 0) throw errnoError(call, result, subject);
}

function cString(value: string | Buffer, what: string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  if (bytes.includes(0)) {
    // Name the position only: the value may be a brokered secret or a credential.
    throw new Error(`spawnWithFds: ${what} contains a NUL byte`);
  }
  return Buffer.concat([bytes, Buffer.alloc(1)]);
}

/**
 * A NULL-terminated char *[] followed by the strings it points to, in one Buffer: passing that Buffer to
 * the call keeps the strings alive too (a raw address does not keep anything from the GC).
 */
function cStringArray(values: readonly (string | Buffer)[], what: string): Buffer {
  const parts = values.map((v, i) => cString(v, `${what}[${i}]`));
  const table = (parts.length + 1) * 8;
  const block = Buffer.concat([Buffer.alloc(table), ...parts]);
  const base = koffi.address(block);
  let offset = table;
  parts.forEach((part, i) => {
    block.writeBigUInt64LE(base + BigInt(offset), i * 8);
    offset += part.length;
  });
  return block;
}
