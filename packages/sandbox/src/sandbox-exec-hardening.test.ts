// The per-command sandbox against an agent-steered command (DESIGN.md §4.5), on the real kernel: what
// it may execute, whom it may signal or reach, its network namespace, what it may chmod (its mount
// namespace: everything read-only but the writable grants). Each
// protection is tried the way an attacker would, beside the normal use it must keep working. Needs
// root (it also runs commands as an unprivileged user), Landlock ABI ≥ 6, seccomp, python3, git,
// tar, strace and a C compiler: when one is missing the tests FAIL with the reason, never skip.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELPER, PYTHON, requireHelper, runHelper, runPython, testUser } from './testing/exec-helper-run.js';

let dir: string;
let staticExec: string;
let sleeper: ChildProcess;
let abstract: ChildProcess;
const ABSTRACT_NAME = `shimgate-test-${process.pid}`; // abstract: a NUL byte in front

/** Makes dir/rel (and its parents) with the content and mode; returns its absolute path. */
function file(rel: string, content = 'content\n', mode = 0o644): string {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
  return path;
}

const sh = (options: readonly string[], script: string) => runHelper([...options, '--', '/bin/sh', 'sh', '-c', script]);

beforeAll(async () => {
  requireHelper();
  if (process.getuid!() !== 0) throw new Error('needs root: these tests also run commands as an unprivileged user (CI runs as root)');
  dir = mkdtempSync(join(tmpdir(), 'shimgate-hardening-'));
  chmodSync(dir, 0o755);
  // A statically linked program that execs its arguments: a command with no ELF interpreter.
  const src = file('static-exec.c', '#include <stdio.h>\n#include <unistd.h>\nint main(int c, char **v) { (void)c; execv(v[1], v + 1); perror(v[1]); return 126; }\n');
  staticExec = join(dir, 'bin', 'static-exec');
  mkdirSync(join(dir, 'bin'));
  execFileSync('cc', ['-static', '-O2', '-o', staticExec, src]);
  sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  // Node pads an abstract name to the full sun_path; python binds it exactly. Ready when it says so.
  abstract = spawn(PYTHON, ['-c', 'import socket, sys\ns = socket.socket(socket.AF_UNIX); s.bind("\\0" + sys.argv[1]); s.listen()\n' +
    'print("ready", flush=True)\nwhile True: s.accept()[0].close()', ABSTRACT_NAME], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let said = '';
    abstract.stdout!.on('data', (d: Buffer) => {
      said += d.toString();
      if (said === 'ready\n') resolve();
      else if (!'ready\n'.startsWith(said)) reject(new Error(`abstract listener said ${JSON.stringify(said)}`));
    });
    abstract.once('exit', (code) => reject(new Error(`abstract listener exited ${code}`)));
  });
});

afterAll(async () => {
  sleeper?.kill('SIGKILL');
  abstract?.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('exec allow-list (Landlock EXECUTE)', () => {
  it('runs a dynamically linked binary: execute on it and its loader, read on the libraries', () => {
    expect(readFileSync('/bin/echo').includes('ld-linux')).toBe(true); // it has a PT_INTERP
    const r = runHelper(['--', '/bin/echo', 'echo', 'dynamic', 'ok']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('dynamic ok\n');
  });

  it('refuses /bin/sh and /bin/bash to a command that did not list them', () => {
    const code = 'import subprocess\nfor p in ("/bin/sh", "/bin/bash", "/usr/bin/perl"):\n' +
      '  try:\n    subprocess.run([p, "-c", "echo escaped"]); print(p, "ran")\n  except OSError as e: print(p, e.strerror)';
    const r = runPython([], code);
    expect(r.stdout).toBe('/bin/sh Permission denied\n/bin/bash Permission denied\n/usr/bin/perl Permission denied\n');
  });

  it('refuses /usr/bin/python3 and /bin/cat to a shell that did not list them', () => {
    const r = sh([], '/usr/bin/python3 -c 1; echo "python3 rc=$?"; cat /etc/hostname; echo "cat rc=$?"');
    expect(r.stdout).toBe('python3 rc=126\ncat rc=126\n');
    expect(r.stderr).toMatch(/python3: Permission denied[\s\S]*cat: Permission denied/);
  });

  it('refuses a copy of /bin/sh the command wrote into its writable dir', () => {
    const W = join(dir, 'written');
    mkdirSync(W);
    const code = 'import os, sys; w = sys.argv[1] + "/sh"; fd = os.open(w, os.O_WRONLY | os.O_CREAT, 0o755); ' +
      'os.write(fd, open("/bin/sh", "rb").read()); os.close(fd)\n' +
      'try:\n  os.execv(w, ["sh", "-c", "echo escaped"])\nexcept OSError as e: print("exec:", e.strerror)';
    const r = runPython(['--rw', W], code, [W]);
    expect(r.stdout).toBe('exec: Permission denied\n');
    expect(statSync(join(W, 'sh')).mode & 0o777).toBe(0o755);
  });

  it('refuses an executable memfd (beyond Landlock) and lets a sealed one be made', () => {
    const code = 'import os\ntry:\n  os.memfd_create("x", 0)\nexcept OSError as e: print("plain:", e.strerror)\n' +
      'fd = os.memfd_create("x", 8); os.write(fd, open("/bin/echo", "rb").read())\n' +
      'try:\n  os.execve(fd, ["echo", "escaped"], {})\nexcept OSError as e: print("exec sealed:", e.strerror)';
    const r = runPython([], code);
    expect(r.stdout).toBe('plain: Permission denied\nexec sealed: Permission denied\n');
  });

  it('runs a #!/bin/sh script with /bin/sh and the programs it uses listed, and nothing else', () => {
    const script = file('scripts/upper.sh', '#!/bin/sh\ncat "$1" | tr a-z A-Z\n', 0o755);
    const data = file('scripts/data.txt', 'shout\n');
    const listed = runHelper(['--ro', join(dir, 'scripts'), '--rx', '/bin/cat', '--rx', '/usr/bin/tr', '--', script, 'upper.sh', data]);
    expect(listed.stderr).toBe('');
    expect(listed.stdout).toBe('SHOUT\n');
    const unlisted = runHelper(['--ro', join(dir, 'scripts'), '--rx', '/bin/cat', '--', script, 'upper.sh', data]);
    expect(unlisted.stdout).toBe('');
    expect(unlisted.stderr).toContain('tr: Permission denied');
  });

  it('a static command gets no loader: it cannot run a dynamic program, nor ld.so on one', () => {
    const direct = runHelper(['--', staticExec, 'static-exec', '/bin/echo', 'escaped']);
    expect(direct.stdout).toBe('');
    expect(direct.stderr).toBe('/bin/echo: Permission denied\n');
    const viaLoader = runHelper(['--', staticExec, 'static-exec', '/lib64/ld-linux-x86-64.so.2', '/bin/echo', 'escaped']);
    expect(viaLoader.stdout).toBe('');
    expect(viaLoader.stderr).toBe('/lib64/ld-linux-x86-64.so.2: Permission denied\n');
  });

  it('a listed dynamic program brings its own loader, also under a static command', () => {
    const r = runHelper(['--rx', '/bin/echo', '--', staticExec, 'static-exec', '/bin/echo', 'listed']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('listed\n');
  });
});

describe('Landlock scopes', () => {
  const KILL = 'import os, signal, sys\ntry:\n  os.kill(int(sys.argv[1]), signal.SIGTERM); print("sent")\nexcept OSError as e: print(e.strerror)';

  it('cannot signal a process outside its sandbox (EPERM), which lives on', () => {
    const r = runPython([], KILL, [String(sleeper.pid)]);
    expect(r.stdout).toBe('Operation not permitted\n');
    expect(sleeper.exitCode).toBeNull();
    expect(process.kill(sleeper.pid!, 0)).toBe(true);
  });

  it('still signals its own children', () => {
    const code = 'import os, signal, subprocess\np = subprocess.Popen(["/bin/sleep", "600"]); os.kill(p.pid, signal.SIGTERM); print(p.wait())';
    const r = runPython(['--rx', '/bin/sleep'], code);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('-15\n');
  });

  it('cannot connect to an abstract Unix socket outside its sandbox; its own work', () => {
    const unconfined = spawnSync(PYTHON, ['-c', 'import socket, sys\ns = socket.socket(socket.AF_UNIX); s.connect("\\0" + sys.argv[1]); print("reached")', ABSTRACT_NAME], { encoding: 'utf8' });
    expect(unconfined.stdout).toBe('reached\n'); // the listener is there
    const outside = 'import socket, sys\ns = socket.socket(socket.AF_UNIX)\ntry:\n  s.connect("\\0" + sys.argv[1]); print(s.recv(100))\nexcept OSError as e: print(e.strerror)';
    expect(runPython([], outside, [ABSTRACT_NAME]).stdout).toBe('Operation not permitted\n');
    const own = 'import socket\nl = socket.socket(socket.AF_UNIX); l.bind("\\0shimgate-own"); l.listen()\nc = socket.socket(socket.AF_UNIX); c.connect("\\0shimgate-own"); print("own ok")';
    expect(runPython([], own).stdout).toBe('own ok\n');
  });

  it('cannot ptrace a process outside, nor read its /proc entries', () => {
    const code = 'import ctypes, sys\nlibc = ctypes.CDLL(None, use_errno=True)\n' +
      'print(libc.ptrace(16, int(sys.argv[1]), 0, 0), ctypes.get_errno())\n' +
      'try:\n  open(f"/proc/{sys.argv[1]}/environ").read()\nexcept OSError as e: print(e.strerror)';
    expect(runPython([], code, [String(sleeper.pid)]).stdout).toBe('-1 1\nPermission denied\n');
  });
});

describe('a kernel without Landlock scopes (ABI < 6, faked with strace)', () => {
  const fake = (abi: string, options: string[]) => spawnSync('strace', ['-qq', '-o', '/dev/null', '-e', 'trace=landlock_create_ruleset',
    '-e', `inject=landlock_create_ruleset:${abi}:when=1`, HELPER, ...options, '--', '/bin/echo', 'echo', 'ran'], { encoding: 'utf8' });

  it('is refused with 126, and runs without scopes under --landlock-optional, saying so', () => {
    const refused = fake('retval=5', []);
    if (refused.error) throw new Error(`strace is needed to fake an old kernel: ${refused.error.message} (apt-get install strace)`);
    expect(refused.status).toBe(126);
    expect(refused.stderr).toContain('shimgate: echo: denied: sandbox: this kernel\'s Landlock (ABI 5) cannot keep the command from signalling');
    const optional = fake('retval=5', ['--landlock-optional']);
    expect(optional.stdout).toBe('ran\n');
    expect(optional.stderr).toBe('shimgate: echo: UNCONFINED signals and abstract sockets: this kernel\'s Landlock (ABI 5) has no scopes (ABI 6), running without them (--landlock-optional)\n');
    const none = fake('error=ENOSYS', ['--landlock-optional']);
    expect(none.stdout).toBe('ran\n');
    expect(none.stderr).toContain('UNCONFINED filesystem: this kernel has no Landlock');
  });
});

describe('network namespace (--block-net)', () => {
  it('runs in a new network namespace holding only a loopback that is down', () => {
    const code = 'import os; print(os.readlink("/proc/self/ns/net")); print(open("/proc/self/net/dev").read().count(":"))';
    const r = runPython(['--block-net'], code);
    expect(r.stderr).toBe('');
    const [ns, interfaces] = r.stdout.trim().split('\n');
    expect(ns).toMatch(/^net:\[\d+\]$/);
    expect(ns).not.toBe(readlinkSync('/proc/self/ns/net'));
    expect(interfaces).toBe('1'); // lo
    expect(runPython([], code).stdout.split('\n')[0]).toBe(readlinkSync('/proc/self/ns/net'));
  });

  it('refuses AF_VSOCK and netlink sockets other than NETLINK_ROUTE', () => {
    const code = 'import socket\nfor fam, proto in ((socket.AF_VSOCK, 0), (socket.AF_NETLINK, 9), (socket.AF_NETLINK, 0)):\n' +
      '  try:\n    socket.socket(fam, socket.SOCK_DGRAM if fam == socket.AF_NETLINK else socket.SOCK_STREAM, proto); print("ok")\n' +
      '  except OSError as e: print(e.strerror)';
    expect(runPython(['--block-net'], code).stdout).toBe('Permission denied\nPermission denied\nok\n');
  });

  it('refuses every io_uring syscall, with and without --block-net', () => {
    const code = 'import ctypes; libc = ctypes.CDLL(None, use_errno=True); p = ctypes.create_string_buffer(120)\n' +
      'for nr in (425, 426, 427): print(libc.syscall(nr, 1, p, 0, 0, 0), ctypes.get_errno())';
    expect(runPython(['--block-net'], code).stdout).toBe('-1 38\n-1 38\n-1 38\n');
    expect(runPython([], code).stdout).toBe('-1 38\n-1 38\n-1 38\n');
  });

  it('refuses a TCP socket as stdin or stdout with 126 and says why; a Unix socket is fine', async () => {
    const listener = createServer(() => undefined);
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as { port: number }).port;
    try {
      const code = 'import socket, subprocess, sys\ns = socket.create_connection(("127.0.0.1", int(sys.argv[2])))\n' +
        'u, _ = socket.socketpair()\nfor name, fds in (("stdin", dict(stdin=s)), ("stdout", dict(stdout=s)), ("unix", dict(stdin=u, stdout=subprocess.PIPE))):\n' +
        '  r = subprocess.run([sys.argv[1], "--block-net", "--", "/bin/echo", "echo", "ran"], stderr=subprocess.PIPE, **fds)\n' +
        '  print(name, r.returncode, r.stderr.decode().strip(), (r.stdout or b"").decode().strip())';
      const r = spawnSync(PYTHON, ['-c', code, HELPER, String(port)], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe([
        'stdin 126 shimgate: echo: denied: sandbox: stdin is an AF_INET (TCP/UDP) socket (family 2), and this command has no network: give it a file, a pipe or a terminal ',
        'stdout 126 shimgate: echo: denied: sandbox: stdout is an AF_INET (TCP/UDP) socket (family 2), and this command has no network: give it a file, a pipe or a terminal ',
        'unix 0  ran',
        '',
      ].join('\n'));
    } finally {
      listener.close();
    }
  });
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
