// glibc through koffi, for what Node has no API for: recvmsg with SCM_RIGHTS, SO_PEERCRED, posix_spawn
// with fd stdio, waitpid on children libuv does not own. Linux LP64 (x86_64, aarch64) only; the struct
// sizes and offsets used by the callers were measured with a C program against Debian 12's glibc 2.36,
// which is also the oldest glibc with every symbol below (pidfd_open: 2.36; close_range and
// posix_spawn_file_actions_addclosefrom_np: 2.34).
import { constants } from 'node:os';
import { getSystemErrorName } from 'node:util';
import koffi from 'koffi';

// Values checked against /usr/include (bits/socket.h, asm-generic/socket.h, spawn.h, linux/close_range.h,
// linux/wait.h) on Debian 12.
export const SOL_SOCKET = 1;
export const SCM_RIGHTS = 1;
export const SO_PEERCRED = 17;
export const MSG_CTRUNC = 0x8;
export const MSG_DONTWAIT = 0x40;
export const MSG_CMSG_CLOEXEC = 0x40000000;
export const POSIX_SPAWN_SETSIGDEF = 0x04;
export const POSIX_SPAWN_SETSIGMASK = 0x08;
export const POSIX_SPAWN_SETSID = 0x80;
export const CLOSE_RANGE_CLOEXEC = 4;
export const WNOHANG = 1;

// Struct layouts on Linux LP64 (glibc), checked against the C compiler by libc.test.ts.
export const MSGHDR = { size: 56, iov: 16, iovlen: 24, control: 32, controllen: 40, flags: 48 } as const;
export const IOVEC_SIZE = 16;
export const CMSGHDR = { size: 16, level: 8, type: 12 } as const;
export const UCRED_SIZE = 12;
export const SIGSET_SIZE = 128;
export const POSIX_SPAWN_FILE_ACTIONS_SIZE = 80;
export const POSIX_SPAWNATTR_SIZE = 336;

/** A pointer argument: a Buffer (koffi passes its data address, honouring byteOffset), a raw address, or NULL. */
export type Pointer = Buffer | bigint | null;

export interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, addr: Pointer, addrlen: number): number;
  close(fd: number): number;
  recv(fd: number, buf: Pointer, len: number, flags: number): number;
  send(fd: number, buf: Pointer, len: number, flags: number): number;
  recvmsg(fd: number, msg: Pointer, flags: number): number;
  getsockopt(fd: number, level: number, name: number, value: Pointer, len: Pointer): number;
  kill(pid: number, sig: number): number;
  waitpid(pid: number, status: Pointer, options: number): number;
  pidfd_open(pid: number, flags: number): number;
  close_range(first: number, last: number, flags: number): number;
  pipe2(fds: Pointer, flags: number): number;
  strerror(errnum: number): string;
  posix_spawn(pid: Pointer, path: Pointer, actions: Pointer, attr: Pointer, argv: Pointer, envp: Pointer): number;
  posix_spawn_file_actions_init(actions: Pointer): number;
  posix_spawn_file_actions_destroy(actions: Pointer): number;
  posix_spawn_file_actions_adddup2(actions: Pointer, fd: number, newfd: number): number;
  posix_spawn_file_actions_addchdir_np(actions: Pointer, path: Pointer): number;
  posix_spawn_file_actions_addfchdir_np(actions: Pointer, fd: number): number;
  posix_spawn_file_actions_addclosefrom_np(actions: Pointer, from: number): number;
  posix_spawnattr_init(attr: Pointer): number;
  posix_spawnattr_destroy(attr: Pointer): number;
  posix_spawnattr_setflags(attr: Pointer, flags: number): number;
  posix_spawnattr_setsigdefault(attr: Pointer, set: Pointer): number;
  posix_spawnattr_setsigmask(attr: Pointer, set: Pointer): number;
  sigemptyset(set: Pointer): number;
  sigfillset(set: Pointer): number;
}

// koffi has no ssize_t: intptr_t has the same size and signedness on LP64.
const PROTOTYPES = [
  'int socket(int domain, int type, int protocol)',
  'int bind(int fd, void *addr, uint32_t addrlen)',
  'int close(int fd)',
  'intptr_t recv(int fd, void *buf, size_t len, int flags)',
  'intptr_t send(int fd, void *buf, size_t len, int flags)',
  'intptr_t recvmsg(int fd, void *msg, int flags)',
  'int getsockopt(int fd, int level, int name, void *value, void *len)',
  'int kill(int pid, int sig)',
  'int waitpid(int pid, void *status, int options)',
  'int pidfd_open(int pid, unsigned int flags)',
  'int close_range(unsigned int first, unsigned int last, int flags)',
  'int pipe2(void *fds, int flags)',
  'const char *strerror(int errnum)',
  'int posix_spawn(void *pid, void *path, void *actions, void *attr, void *argv, void *envp)',
  'int posix_spawn_file_actions_init(void *actions)',
  'int posix_spawn_file_actions_destroy(void *actions)',
  'int posix_spawn_file_actions_adddup2(void *actions, int fd, int newfd)',
  'int posix_spawn_file_actions_addchdir_np(void *actions, void *path)',
  'int posix_spawn_file_actions_addfchdir_np(void *actions, int fd)',
  'int posix_spawn_file_actions_addclosefrom_np(void *actions, int from)',
  'int posix_spawnattr_init(void *attr)',
  'int posix_spawnattr_destroy(void *attr)',
  'int posix_spawnattr_setflags(void *attr, short flags)',
  'int posix_spawnattr_setsigdefault(void *attr, void *set)',
  'int posix_spawnattr_setsigmask(void *attr, void *set)',
  'int sigemptyset(void *set)',
  'int sigfillset(void *set)',
];

let binding: Libc | undefined;

/** The libc binding, loaded on first use. */
export function libc(): Libc {
  if (binding === undefined) {
    const lib = koffi.load('libc.so.6');
    const fns: Record<string, unknown> = Object.create(null);
    for (const proto of PROTOTYPES) {
      const fn = lib.func(proto);
      fns[fn.info.name] = fn;
    }
    binding = fns as unknown as Libc;
  }
  return binding;
}

/** The errno of the last libc call made through koffi on this thread. */
export function lastErrno(): number {
  return koffi.errno();
}

export interface ErrnoError extends Error {
  code: string;
  errno: number;
  syscall: string;
}

/** An Error shaped like Node's system errors: `code` 'EAGAIN', `errno` 11, `syscall` 'recvmsg'. */
export function errnoError(syscall: string, errno: number = lastErrno(), subject?: string): ErrnoError {
  const code = errnoName(errno);
  const what = subject === undefined ? syscall : `${syscall} ${subject}`;
  const err = new Error(`${what}: ${code} (${libc().strerror(errno)})`) as ErrnoError;
  err.code = code;
  err.errno = errno;
  err.syscall = syscall;
  return err;
}

// libuv's names first (EAGAIN rather than EWOULDBLOCK); libuv has no name for some, e.g. ECHILD.
function errnoName(errno: number): string {
  const name = errno > 0 ? getSystemErrorName(-errno) : '';
  if (/^E[A-Z0-9]+$/.test(name)) return name;
  const known = Object.entries(constants.errno).find(([, value]) => value === errno);
  return known ? known[0] : `errno ${errno}`;
}

/**
 * Marks every fd from 3 up close-on-exec. Fds the server inherited at start (from a terminal, a CI
 * runner, a service manager) would otherwise reach every child it spawns. Call once at boot.
 */
export function markInheritedFdsCloexec(): void {
  if (libc().close_range(3, 0xffffffff, CLOSE_RANGE_CLOEXEC) !== 0) throw errnoError('close_range');
}
