// The per-command sandbox exec helper (shim/sandbox-exec.c) against the real kernel: Landlock and
// seccomp, no mocks. Needs the built helper (`make -C shim`), a kernel with Landlock and
// /usr/bin/python3. When any of these is missing the tests FAIL with the reason: they never skip.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SHIM_DIR = fileURLToPath(new URL('../../../shim', import.meta.url));
const HELPER = fileURLToPath(new URL('../../../shim/build/shimgate-sandbox-exec', import.meta.url));
const HELPER_ASAN = fileURLToPath(new URL('../../../shim/build/shimgate-sandbox-exec-asan', import.meta.url));
// The system python, not a pyenv shim: its home (/usr/lib/python3.*) is inside the granted system dirs.
const PYTHON = '/usr/bin/python3';

let dir: string;
let listener: Server;
let port: number;

function helper(args: readonly string[], input = '', bin = HELPER): SpawnSyncReturns<string> {
  const r = spawnSync(bin, args, { input, encoding: 'utf8', timeout: 15_000 });
  if (r.error) throw r.error;
  return r;
}

// The programs in /usr/bin may be run (cat, mv, head…): these tests are about the filesystem and the
// network; what may be executed is tested in sandbox-exec-hardening.test.ts.
const TOOLS = ['--rx', '/usr/bin'];

// A write outside the writable grants meets the read-only mount first (EROFS), Landlock behind it.
const REFUSED_WRITE = /Read-only file system|Permission denied/;

/** Runs `sh -c script` under the helper with the given options, /usr/bin executable. */
const sh = (options: readonly string[], script: string, input = ''): SpawnSyncReturns<string> =>
  helper([...TOOLS, ...options, '--', '/bin/sh', 'sh', '-c', script], input);

const py = (options: readonly string[], code: string, ...args: string[]): SpawnSyncReturns<string> =>
  helper([...options, '--', PYTHON, 'python3', '-c', code, ...args]);

/** Makes dir/rel with the given content (and its parents); returns its absolute path. */
function file(rel: string, content = 'content\n', mode = 0o644): string {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

beforeAll(async () => {
  if (!existsSync(HELPER)) throw new Error(`${HELPER} is missing: build it with \`make -C shim\``);
  const probe = execFileSync(HELPER, ['--probe'], { encoding: 'utf8' });
  const abi = /^landlock-abi (\d+)$/m.exec(probe)?.[1];
  if (abi === undefined || Number(abi) === 0) {
    throw new Error(`this kernel has no Landlock (\`${HELPER} --probe\` says ${JSON.stringify(probe)}); ` +
      'these tests need it (CI runs on a kernel with Landlock)');
  }
  if (!probe.includes('seccomp ok\n')) throw new Error(`seccomp filters do not work here: ${probe}`);
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: the network cases need the system python`);
  dir = mkdtempSync(join(tmpdir(), 'shimgate-sandbox-exec-'));
  listener = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => listener?.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('--probe', () => {
  it('prints exactly two lines: the Landlock ABI and the seccomp state, exit 0', () => {
    const r = helper(['--probe']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^landlock-abi \d+\nseccomp (ok|unavailable: .+)\n$/);
  });
});

describe('filesystem (Landlock)', () => {
  it('--ro X reads X/file, not the sibling X2/file, and cannot write X/new', () => {
    file('ro/X/file', 'in X\n');
    file('ro/X2/file', 'in X2\n');
    const X = join(dir, 'ro/X');
    expect(sh(['--ro', X], `cat ${X}/file`).stdout).toBe('in X\n');
    const sibling = sh(['--ro', X], `cat ${X}2/file`);
    expect(sibling.status).not.toBe(0);
    expect(sibling.stderr).toContain('Permission denied');
    const write = sh(['--ro', X], `echo new > ${X}/new`);
    expect(write.status).not.toBe(0);
    expect(write.stderr).toMatch(REFUSED_WRITE);
    expect(existsSync(join(X, 'new'))).toBe(false);
  });

  it('--rw Y creates, renames and removes files in Y', () => {
    const Y = join(dir, 'rw/Y');
    mkdirSync(join(Y, 'sub'), { recursive: true });
    const r = sh(['--rw', Y], `echo made > ${Y}/new && mv ${Y}/new ${Y}/sub/moved && mkdir ${Y}/d && rmdir ${Y}/d && cat ${Y}/sub/moved`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('made\n');
    expect(readFileSync(join(Y, 'sub/moved'), 'utf8')).toBe('made\n');
  });

  it('--rw Y does not let the command make device nodes', () => {
    const Y = join(dir, 'rw-dev');
    mkdirSync(Y);
    const r = sh(['--rw', Y], `mknod ${Y}/null c 1 3`);
    expect(r.status).not.toBe(0);
    expect(existsSync(join(Y, 'null'))).toBe(false);
  });

  it('--ro-file F reads F only: not its sibling, and not for writing', () => {
    const F = file('rofile/F', 'the file\n');
    file('rofile/G', 'the sibling\n');
    expect(sh(['--ro-file', F], `cat ${F}`).stdout).toBe('the file\n');
    expect(sh(['--ro-file', F], `cat ${dir}/rofile/G`).stderr).toContain('Permission denied');
    expect(sh(['--ro-file', F], `echo x >> ${F}`).stderr).toMatch(REFUSED_WRITE);
    expect(readFileSync(F, 'utf8')).toBe('the file\n');
  });

  it('--rw-file F reads, writes and truncates F only', () => {
    const F = file('rwfile/F', 'old\n');
    const r = sh(['--rw-file', F], `cat ${F} && echo new > ${F}`);
    expect(r.stdout).toBe('old\n');
    expect(r.status).toBe(0);
    expect(readFileSync(F, 'utf8')).toBe('new\n');
    expect(sh(['--rw-file', F], `echo x > ${dir}/rwfile/G`).stderr).toMatch(REFUSED_WRITE);
  });

  it('--ro-file on a directory is refused (it would grant every file beneath it)', () => {
    const r = helper(['--ro-file', dir, '--', '/bin/true', 'true']);
    expect(r.status).toBe(126);
    expect(r.stderr).toBe(`shimgate: true: denied: sandbox: --ro-file ${dir}: Is a directory\n`);
  });

  it('a binary outside the system dirs runs: the binary itself is granted execute', () => {
    const bin = join(dir, 'private-bin');
    mkdirSync(bin);
    copyFileSync('/bin/echo', join(bin, 'my-echo'));
    chmodSync(join(bin, 'my-echo'), 0o755);
    const r = helper(['--', join(bin, 'my-echo'), 'my-echo', 'hello', 'there']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello there\n');
    expect(r.status).toBe(0);
  });

  it('a binary reached through a symlink also gets its real directory', () => {
    const real = join(dir, 'real-bin');
    const links = join(dir, 'link-bin');
    mkdirSync(real);
    mkdirSync(links);
    copyFileSync('/bin/echo', join(real, 'echo2'));
    chmodSync(join(real, 'echo2'), 0o755);
    symlinkSync(join(real, 'echo2'), join(links, 'echo2'));
    const r = helper(['--', join(links, 'echo2'), 'echo2', 'via link']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('via link\n');
  });

  it('--rx D lets a script in D run; without it the script is denied', () => {
    const D = join(dir, 'rx');
    const script = file('rx/hello.sh', '#!/bin/sh\necho script ran\n', 0o755);
    expect(sh(['--rx', D], script).stdout).toBe('script ran\n');
    const denied = sh([], script);
    expect(denied.status).toBe(126);
    expect(denied.stderr).toContain('Permission denied');
  });

  it('--landlock-optional still enforces Landlock where the kernel has it', () => {
    const X = join(dir, 'optional/X');
    file('optional/X/file');
    file('optional/X2/file');
    expect(sh(['--landlock-optional', '--ro', X], `cat ${X}/file`).status).toBe(0);
    expect(sh(['--landlock-optional', '--ro', X], `cat ${X}2/file`).stderr).toContain('Permission denied');
  });

  it('skips paths that do not exist', () => {
    const r = helper(['--ro', '/nonexistent/a', '--ro-file', '/nonexistent/f', '--rw', join(dir, 'not-here'),
      '--rw-file', '/nonexistent/g', '--rx', '/nonexistent/x', '--', '/bin/true', 'true']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('refuses a relative path with exit 126 and a message naming it', () => {
    const r = helper(['--ro', 'relative/dir', '--', '/bin/true', 'true']);
    expect(r.status).toBe(126);
    expect(r.stderr).toBe('shimgate: true: denied: sandbox: --ro relative/dir: not an absolute path\n');
  });

  it('refuses an over-long path and too many path options, never truncating', () => {
    const long = '/' + 'a'.repeat(5000);
    const r = helper(['--rw', long, '--', '/bin/true', 'true']);
    expect(r.status).toBe(126);
    expect(r.stderr).toBe('shimgate: true: denied: sandbox: --rw: path longer than 4095 bytes (SANDBOX_PATH_MAX)\n');
    const many = helper([...Array.from({ length: 1025 }, () => ['--ro', '/usr']).flat(), '--', '/bin/true', 'true']);
    expect(many.status).toBe(126);
    expect(many.stderr).toBe('shimgate: true: denied: sandbox: 1025 path options exceed the limit of 1024 (SANDBOX_MAX_GRANTS)\n');
    expect(helper([...Array.from({ length: 1024 }, () => ['--ro', '/usr']).flat(), '--', '/bin/true', 'true']).status).toBe(0);
  });

  it('refuses a relative binary (no PATH lookup)', () => {
    const r = helper(['--', 'true', 'true']);
    expect(r.status).toBe(126);
    expect(r.stderr).toBe('shimgate: true: denied: sandbox: binary true: not an absolute path\n');
  });

  it('/dev/null is writable (also with O_TRUNC) and /dev/urandom readable', () => {
    const r = sh([], 'echo gone > /dev/null && echo gone >> /dev/null && head -c 4 /dev/urandom | wc -c');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('4');
  });

  it('a new pseudo-terminal works (/dev/ptmx and /dev/pts, with their ioctls)', () => {
    const r = py([], 'import os, pty, termios; m, s = pty.openpty(); termios.tcgetattr(s); ' +
      'os.write(m, b"hi\\n"); print(os.read(s, 3), os.ttyname(s).startswith("/dev/pts/"))');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe("b'hi\\n' True\n");
  });

  it('reads its own /proc/self but not the rest of the filesystem (e.g. /var, other processes)', () => {
    // `read` is the shell's own: the process the helper exec'd, whose /proc/<pid> is granted.
    expect(sh([], 'read -r line < /proc/self/status && echo "$line"').stdout).toMatch(/^Name:\s+sh\n$/);
    expect(sh([], 'ls /var').stderr).toContain('Permission denied');
    expect(sh([], `read -r line < /proc/${process.pid}/cmdline`).stderr).toContain('Permission denied');
  });
});

describe('network (seccomp, --block-net)', () => {
  const INET = 'import socket; socket.socket(socket.AF_INET); print("inet ok")';
  const UNIX = 'import socket; socket.socket(socket.AF_UNIX); print("unix ok")';
  const CONNECT = 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5); print("connected")';

  it('refuses an AF_INET socket with PermissionError', () => {
    const r = py(['--block-net'], INET);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('PermissionError: [Errno 13] Permission denied');
  });

  it('refuses AF_INET6 and AF_PACKET sockets too', () => {
    expect(py(['--block-net'], 'import socket; socket.socket(socket.AF_INET6)').stderr).toContain('PermissionError');
    expect(py(['--block-net'], 'import socket; socket.socket(socket.AF_PACKET, socket.SOCK_RAW)').stderr)
      .toContain('PermissionError');
  });

  it('still allows AF_UNIX sockets (nested shims reach the mediation server)', () => {
    const r = py(['--block-net'], UNIX);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('unix ok\n');
  });

  it('a TCP connect to a loopback listener fails with --block-net and works without', () => {
    const blocked = py(['--block-net'], CONNECT, String(port));
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toContain('PermissionError');
    const open = py([], CONNECT, String(port));
    expect(open.stderr).toBe('');
    expect(open.stdout).toBe('connected\n');
  });

  it('io_uring_setup fails with ENOSYS under --block-net', () => {
    const code = 'import ctypes, ctypes.util; libc = ctypes.CDLL(None, use_errno=True); ' +
      'p = ctypes.create_string_buffer(120); r = libc.syscall(425, 1, p); print(r, ctypes.get_errno())';
    expect(py(['--block-net'], code).stdout).toBe('-1 38\n');
  });
});

describe('exec', () => {
  it('execs in place: same pid, stdin and stdout pass straight through', () => {
    const r = helper([...TOOLS, '--', '/bin/sh', 'sh', '-c', 'echo "pid $$"; cat'], 'from stdin\n');
    expect(r.stdout).toBe(`pid ${r.pid}\nfrom stdin\n`);
  });

  it('returns the binary\'s exit code unchanged, and its death by signal', () => {
    expect(sh([], 'exit 42').status).toBe(42);
    expect(sh([], 'exit 0').status).toBe(0);
    expect(sh([], 'kill -TERM $$').signal).toBe('SIGTERM');
  });

  it('passes argv0 and arguments through, options after -- included', () => {
    const script = 'tr "\\0" "|" < /proc/$$/cmdline';
    const r = helper([...TOOLS, '--', '/bin/sh', 'custom-name', '-c', script, 'zero', '--ro', '--block-net', '--']);
    expect(r.stdout).toBe(`custom-name|-c|${script}|zero|--ro|--block-net|--|`);
  });

  it('a missing binary exits 127, a non-executable one 126', () => {
    const missing = helper(['--', join(dir, 'nope'), 'nope']);
    expect(missing.status).toBe(127);
    expect(missing.stderr).toBe(`shimgate: nope: exec ${join(dir, 'nope')}: No such file or directory\n`);
    const plain = file('not-exec/data', 'x', 0o644);
    const denied = helper(['--', plain, 'data']);
    expect(denied.status).toBe(126);
    expect(denied.stderr).toBe(`shimgate: data: exec ${plain}: Permission denied\n`);
  });

  it('rejects a malformed command line in its own name', () => {
    const r = helper(['--ro']);
    expect(r.status).toBe(126);
    expect(r.stderr).toMatch(/^shimgate-sandbox-exec: usage: /);
    expect(helper(['--', '/bin/true']).stderr).toMatch(/^shimgate-sandbox-exec: usage: /);
  });
});

describe('ASan+UBSan build (make -C shim check)', () => {
  it('builds and enforces --ro like the release build', () => {
    execFileSync('make', ['-s', '-C', SHIM_DIR, 'check'], { stdio: 'pipe' });
    file('asan/X/file', 'asan ok\n');
    file('asan/X2/file', 'nope\n');
    const X = join(dir, 'asan/X');
    const ok = helper(['--ro', X, '--block-net', '--', '/bin/cat', 'cat', `${X}/file`], '', HELPER_ASAN);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('asan ok\n');
    const denied = helper(['--ro', X, '--', '/bin/cat', 'cat', `${X}2/file`], '', HELPER_ASAN);
    expect(denied.status).toBe(1);
    expect(denied.stderr).toContain('Permission denied');
    expect(helper(['--ro', 'rel', '--', '/bin/true', 'true'], '', HELPER_ASAN).status).toBe(126);
  });
});

describe('capabilities', () => {
  it('leaves a command run by root with no capability at all', () => {
    if (process.getuid!() !== 0) throw new Error('needs root: the helper drops capabilities only for root (CI runs as root)');
    const r = helper(['--', '/bin/grep', 'grep', '^Cap', '/proc/self/status']);
    expect(r.status).toBe(0);
    for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) expect(r.stdout).toContain(`${set}:\t0000000000000000`);
  });
});

describe('the binary\'s own directory', () => {
  it('is not granted when it is $HOME: a tool in the home dir cannot read its neighbours', () => {
    const home = mkdtempSync(join(tmpdir(), 'shimgate-home-'));
    try {
      writeFileSync(join(home, 'neighbour'), 'private\n');
      writeFileSync(join(home, 'tool'), `#!/bin/sh\ncat ${join(home, 'neighbour')}\n`, { mode: 0o755 });
      const r = spawnSync(HELPER, ['--rx', '/bin/cat', '--', join(home, 'tool'), 'tool'], { encoding: 'utf8', env: { ...process.env, HOME: home } });
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`cat: ${join(home, 'neighbour')}: Permission denied\n`);
      const outside = spawnSync(HELPER, ['--rx', '/bin/cat', '--', join(home, 'tool'), 'tool'], { encoding: 'utf8', env: { ...process.env, HOME: '/nonexistent' } });
      expect(outside.stdout).toBe('private\n'); // the same layout elsewhere keeps its dir grant
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
