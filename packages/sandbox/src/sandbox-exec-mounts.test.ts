// The per-command sandbox's mount namespace and normal use, on the real kernel: outside its writable
// grants a command cannot change modes, owners, xattrs or times (every other mount is read-only),
// inside them git and tar work; and the same sandbox for an unprivileged user (its own user
// namespace). Needs root, Landlock ABI ≥ 6, seccomp, python3, git and tar: when one is missing the
// tests FAIL with the reason, never skip.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELPER, putFile, PYTHON, requireHelper, runHelper, runPython, testUser } from './testing/exec-helper-run.js';

let dir: string;
let sleeper: ChildProcess;

const file = (rel: string, content?: string, mode?: number): string => putFile(dir, rel, content, mode);

beforeAll(() => {
  requireHelper();
  if (process.getuid!() !== 0) throw new Error('needs root: these tests also run commands as an unprivileged user (CI runs as root)');
  dir = mkdtempSync(join(tmpdir(), 'shimgate-mounts-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'bin'));
  sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
});

afterAll(() => {
  sleeper?.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('same-uid reach: chmod, chown, xattrs, times (read-only mounts but the writable grants)', () => {
  const TRY = 'import os, sys\ndef t(name, f):\n  try: f(); print(name, "done")\n  except OSError as e: print(name, e.strerror)\n';
  const ALL = 't("chmod", lambda: os.chmod(p, 0o640)); t("chown", lambda: os.chown(p, os.getuid(), os.getgid()))\n' +
    '  t("setxattr", lambda: os.setxattr(p, "user.x", b"1")); t("utime", lambda: os.utime(p, (0, 0)))\n';

  it('cannot chmod, chown, set xattrs or times on a file outside fs_write; can inside', () => {
    const outside = file('reach/outside/key', 'PRIVATE\n', 0o600);
    const W = join(dir, 'reach/writable');
    const inside = file('reach/writable/mine', 'x\n', 0o600);
    const before = statSync(outside);
    const r = runPython(['--rw', W], `${TRY}for p in sys.argv[1:]:\n  ${ALL}`, [outside, inside]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(['chmod', 'chown', 'setxattr', 'utime'].map((c) => `${c} Read-only file system\n`).join('') +
      ['chmod', 'chown', 'setxattr', 'utime'].map((c) => `${c} done\n`).join(''));
    const after = statSync(outside);
    expect([after.mode, after.mtimeMs]).toEqual([before.mode, before.mtimeMs]);
    expect(statSync(inside).mode & 0o777).toBe(0o640);
  });

  it('cannot reach a file outside through an O_PATH fd or /proc/self/fd; chmods a file it opened for real', () => {
    const outside = file('reach/outside/other', 'x\n', 0o600);
    const W = join(dir, 'reach/own');
    mkdirSync(W);
    const code = TRY + 'fd = os.open(sys.argv[1], os.O_PATH)\nt("fchmod O_PATH", lambda: os.chmod(fd, 0o644)); t("fchown O_PATH", lambda: os.chown(fd, 0, 0))\n' +
      't("fsetxattr O_PATH", lambda: os.setxattr(fd, "user.x", b"1")); t("via /proc/self/fd", lambda: os.chmod(f"/proc/self/fd/{fd}", 0o644))\n' +
      'mine = os.open(sys.argv[2] + "/new", os.O_WRONLY | os.O_CREAT, 0o600); t("fchmod own", lambda: os.fchmod(mine, 0o640))';
    const r = runPython(['--rw', W], code, [outside, W]);
    expect(r.stdout).toBe('fchmod O_PATH Bad file descriptor\nfchown O_PATH Bad file descriptor\nfsetxattr O_PATH Bad file descriptor\n' +
      'via /proc/self/fd Read-only file system\nfchmod own done\n');
    expect(statSync(outside).mode & 0o777).toBe(0o600);
    expect(statSync(join(W, 'new')).mode & 0o777).toBe(0o640);
  });

  it('never makes writable what the host mounted read-only, and leaves the host\'s mounts alone', () => {
    const RO = join(dir, 'host-ro');
    mkdirSync(RO);
    writeFileSync(join(RO, 'f'), 'x\n');
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
    execFileSync('mount', ['--bind', '-o', 'ro', RO, RO]);
    try {
      const r = runHelper(['--rw', RO, '--rx', '/usr/bin', '--', '/bin/sh', 'sh', '-c', `echo y > ${RO}/f; chmod 600 ${RO}/f`]);
      expect(r.stderr).toContain('Read-only file system');
      expect(readFileSync(join(RO, 'f'), 'utf8')).toBe('x\n');
    } finally {
      execFileSync('umount', [RO]);
    }
    runHelper(['--rw', dir, '--', '/bin/true', 'true']);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).toBe(mounts);
  });

  it('runs in the same working directory, now writable through its grant', () => {
    const W = join(dir, 'cwd-rw');
    mkdirSync(W);
    const r = runHelper(['--rw', W, '--', '/bin/sh', 'sh', '-c', 'echo here > made && read -r l < made && echo "$l $PWD"'], { cwd: W });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`here ${W}\n`);
  });
});

describe('the working directory', () => {
  it('refuses a cwd on a writable grant that cannot be re-entered in the new view (it would sit on an exec mount)', () => {
    // A removed dir: getcwd cannot name it, the same as a dir swapped away while the view is built.
    mkdirSync(join(dir, 'rw-cwd', 'gone'), { recursive: true });
    const script = `cd ${join(dir, 'rw-cwd', 'gone')} && rmdir ../gone && exec ${HELPER} --rw ${join(dir, 'rw-cwd')} -- /bin/true true`;
    const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
    expect(r.status).toBe(126);
    expect(r.stderr).toContain('the working directory could not be re-entered');
    // A cwd on another filesystem that cannot be named (the agent's private /tmp) is left alone:
    // host-hiding-e2e.test.ts runs a mediated command there.
  });
});

describe('normal use keeps working', () => {
  it('tar creates and extracts in a writable dir, restoring owners and modes as root', () => {
    const T = join(dir, 'tar');
    file('tar/src/a.txt', 'a\n');
    file('tar/src/sub/run.sh', '#!/bin/sh\n', 0o755);
    mkdirSync(join(T, 'out'));
    const tar = (...args: string[]) => runHelper(['--rw', T, '--', '/usr/bin/tar', 'tar', ...args], { cwd: T });
    const made = tar('cf', 'a.tar', 'src');
    expect(made.stderr).toBe('');
    const got = tar('xf', 'a.tar', '-C', 'out');
    expect(got.stderr).toBe('');
    expect(got.status).toBe(0);
    expect(readFileSync(join(T, 'out/src/a.txt'), 'utf8')).toBe('a\n');
    expect(statSync(join(T, 'out/src/sub/run.sh')).mode & 0o111).not.toBe(0);
  });

  it('git init, config, status, commit and checkout in a repository (git-core listed for its sub-commands)', () => {
    const R = join(dir, 'repo');
    mkdirSync(R);
    writeFileSync(join(R, 'f.txt'), 'one\n');
    const env = { PATH: '/usr/bin:/bin', HOME: '/nonexistent', GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@x', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@x' };
    const git = (...args: string[]) => runHelper(['--rw', R, '--rx', '/usr/lib/git-core', '--', '/usr/bin/git', 'git', ...args], { cwd: R, env });
    expect(git('init', '-q').stderr).toBe(''); // chmods .git/config by path (its filemode probe)
    expect(git('config', 'user.name', 'someone').status).toBe(0); // chmods config.lock by path
    expect(git('add', 'f.txt').status).toBe(0);
    const commit = git('commit', '-q', '-m', 'first');
    expect(commit.stderr).toBe('');
    expect(commit.status).toBe(0);
    writeFileSync(join(R, 'f.txt'), 'two\n');
    expect(git('status', '--short').stdout).toBe(' M f.txt\n');
    expect(git('checkout', '-q', '--', 'f.txt').status).toBe(0);
    expect(readFileSync(join(R, 'f.txt'), 'utf8')).toBe('one\n');
    expect(git('log', '--format=%s').stdout).toBe('first\n');
  });
});

describe('as an unprivileged user', () => {
  let user: { uid: number; gid: number };
  let helper: string;
  beforeAll(() => {
    user = testUser();
    // The helper from a directory the user can reach (the checkout may sit under a 0700 home).
    helper = join(dir, 'bin', 'shimgate-sandbox-exec');
    copyFileSync(HELPER, helper);
    chmodSync(join(dir, 'bin'), 0o755);
    chmodSync(helper, 0o755);
  });
  const as = (args: string[], cwd?: string) => runHelper(args, { helper, uid: user.uid, gid: user.gid, cwd, env: { PATH: '/usr/bin:/bin' } });

  it('runs a dynamic binary, refuses an unlisted program, and cannot signal outside', () => {
    expect(as(['--', '/bin/echo', 'echo', 'hi']).stdout).toBe('hi\n');
    expect(as(['--', '/bin/sh', 'sh', '-c', '/usr/bin/python3 -c 1; echo "rc=$?"']).stdout).toBe('rc=126\n');
    const kill = as(['--', PYTHON, 'python3', '-c', 'import os, sys\ntry:\n  os.kill(int(sys.argv[1]), 15)\nexcept OSError as e: print(e.strerror)', String(sleeper.pid)]);
    expect(kill.stdout).toBe('Operation not permitted\n');
  });

  it('--block-net: its own user and network namespaces, same uid, no capability, no inet socket', () => {
    const code = 'import os, socket\nprint(os.getuid(), os.getgid(), os.readlink("/proc/self/ns/net"))\n' +
      'print([l.split()[1] for l in open("/proc/self/status") if l.startswith("Cap")])\n' +
      'try:\n  socket.socket(socket.AF_INET)\nexcept OSError as e: print(e.strerror)';
    const r = as(['--block-net', '--', PYTHON, 'python3', '-c', code]);
    expect(r.stderr).toBe('');
    const [ids, caps, inet] = r.stdout.trim().split('\n');
    const [uid, gid, ns] = ids!.split(' ');
    expect([Number(uid), Number(gid)]).toEqual([user.uid, user.gid]);
    expect(ns).not.toBe(readlinkSync('/proc/self/ns/net'));
    expect(caps).toBe(`[${Array(5).fill("'0000000000000000'").join(', ')}]`);
    expect(inet).toBe('Permission denied');
  });

  it('extracts a tar archive in its writable dir and cannot chmod outside', () => {
    const T = join(dir, 'user-tar');
    mkdirSync(join(T, 'src/sub'), { recursive: true });
    writeFileSync(join(T, 'src/sub/f'), 'f\n');
    mkdirSync(join(T, 'out'));
    for (const p of [T, join(T, 'src'), join(T, 'src/sub'), join(T, 'src/sub/f'), join(T, 'out')]) chownSync(p, user.uid, user.gid);
    const tar = (...args: string[]) => as(['--rw', T, '--', '/usr/bin/tar', 'tar', ...args], T);
    expect(tar('cf', 'a.tar', 'src').status).toBe(0);
    const got = tar('xf', 'a.tar', '-C', 'out');
    expect(got.stderr).toBe('');
    expect(got.status).toBe(0);
    expect(readFileSync(join(T, 'out/src/sub/f'), 'utf8')).toBe('f\n');
    const mine = file('user-reach/key', 'k\n', 0o600);
    chownSync(mine, user.uid, user.gid);
    chmodSync(join(dir, 'user-reach'), 0o755);
    const r = as(['--', PYTHON, 'python3', '-c', 'import os, sys\ntry:\n  os.chmod(sys.argv[1], 0o644)\nexcept OSError as e: print(e.strerror)', mine]);
    expect(r.stdout).toBe('Read-only file system\n');
    expect(statSync(mine).mode & 0o777).toBe(0o600);
  });
});
