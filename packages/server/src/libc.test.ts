// The numbers in libc.ts must agree with the C headers of this machine: a C program prints them.
// Needs a C compiler (cc), as the shim build does; without one this fails rather than passing.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as L from './libc.js';

const PROGRAM = String.raw`
#define _GNU_SOURCE
#include <linux/close_range.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
int main(void) {
  printf("{\"SOL_SOCKET\":%d,\"SCM_RIGHTS\":%d,\"SO_PEERCRED\":%d,", SOL_SOCKET, SCM_RIGHTS, SO_PEERCRED);
  printf("\"MSG_CTRUNC\":%d,\"MSG_DONTWAIT\":%d,\"MSG_CMSG_CLOEXEC\":%d,", MSG_CTRUNC, MSG_DONTWAIT, MSG_CMSG_CLOEXEC);
  printf("\"POSIX_SPAWN_SETSIGDEF\":%d,\"POSIX_SPAWN_SETSIGMASK\":%d,\"POSIX_SPAWN_SETSID\":%d,",
         POSIX_SPAWN_SETSIGDEF, POSIX_SPAWN_SETSIGMASK, POSIX_SPAWN_SETSID);
  printf("\"CLOSE_RANGE_CLOEXEC\":%u,\"WNOHANG\":%d,", CLOSE_RANGE_CLOEXEC, WNOHANG);
  printf("\"MSGHDR\":{\"size\":%zu,\"iov\":%zu,\"iovlen\":%zu,\"control\":%zu,\"controllen\":%zu,\"flags\":%zu},",
         sizeof(struct msghdr), offsetof(struct msghdr, msg_iov), offsetof(struct msghdr, msg_iovlen),
         offsetof(struct msghdr, msg_control), offsetof(struct msghdr, msg_controllen), offsetof(struct msghdr, msg_flags));
  printf("\"IOVEC_SIZE\":%zu,\"CMSGHDR\":{\"size\":%zu,\"level\":%zu,\"type\":%zu},\"UCRED_SIZE\":%zu,",
         sizeof(struct iovec), sizeof(struct cmsghdr), offsetof(struct cmsghdr, cmsg_level),
         offsetof(struct cmsghdr, cmsg_type), sizeof(struct ucred));
  printf("\"SIGSET_SIZE\":%zu,\"POSIX_SPAWN_FILE_ACTIONS_SIZE\":%zu,\"POSIX_SPAWNATTR_SIZE\":%zu}\n",
         sizeof(sigset_t), sizeof(posix_spawn_file_actions_t), sizeof(posix_spawnattr_t));
  return 0;
}
`;

function fromC(): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'libc-abi-'));
  try {
    writeFileSync(join(dir, 'abi.c'), PROGRAM);
    execFileSync('cc', ['-Wall', '-Werror', '-o', join(dir, 'abi'), join(dir, 'abi.c')]);
    return JSON.parse(execFileSync(join(dir, 'abi'), { encoding: 'utf8' })) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('libc constants and layouts', () => {
  it('match the C headers', () => {
    const c = fromC();
    const ts = Object.fromEntries(Object.keys(c).map((k) => [k, (L as Record<string, unknown>)[k]]));
    expect(ts).toEqual(c);
  });
});

describe('errnoError', () => {
  it('names the errno like Node does, including errnos libuv has no name for', () => {
    expect(L.errnoError('recvmsg', 11)).toMatchObject({ code: 'EAGAIN', errno: 11, syscall: 'recvmsg' });
    expect(L.errnoError('waitpid', 10, '42')).toMatchObject({
      code: 'ECHILD',
      message: 'waitpid 42: ECHILD (No child processes)',
    });
  });
});

describe('markInheritedFdsCloexec', () => {
  it('sets close-on-exec on an fd that lacked it', () => {
    const pipe = Buffer.alloc(8);
    expect(L.libc().pipe2(pipe, 0)).toBe(0);
    const fds = [pipe.readInt32LE(0), pipe.readInt32LE(4)];
    const cloexec = (fd: number): boolean => {
      const flags = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
      return (parseInt(flags ?? 'x', 8) & 0o2000000) !== 0;
    };
    try {
      expect(fds.map(cloexec)).toEqual([false, false]);
      L.markInheritedFdsCloexec();
      expect(fds.map(cloexec)).toEqual([true, true]);
    } finally {
      for (const fd of fds) L.libc().close(fd);
    }
  });
});
