// The per-command sandbox against an agent-steered command (DESIGN.md §4.5), on the real kernel: what
// it may execute, whom it may signal or reach, its network namespace. Each protection is tried the
// way an attacker would, beside the use it must keep. What it may chmod, tar and git, and the
// unprivileged user: sandbox-exec-mounts.test.ts. Needs root, Landlock ABI ≥ 6, seccomp, python3,
// strace and a C compiler: when one is missing the tests FAIL with the reason, never skip.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELPER, putFile, PYTHON, requireHelper, runHelper, runPython } from './testing/exec-helper-run.js';

let dir: string;
let staticExec: string;
let sleeper: ChildProcess;
let abstract: ChildProcess;
const ABSTRACT_NAME = `shimgate-test-${process.pid}`; // abstract: a NUL byte in front

const file = (rel: string, content?: string, mode?: number): string => putFile(dir, rel, content, mode);

const sh = (options: readonly string[], script: string) => runHelper([...options, '--', '/bin/sh', 'sh', '-c', script]);

beforeAll(async () => {
  requireHelper();
  if (process.getuid!() !== 0) throw new Error('needs root: the helper is tested as a root server runs it (CI runs as root)');
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

  it('refuses a copy of /bin/sh in its writable dir, whether the agent left it or the command wrote it', () => {
    const W = join(dir, 'written');
    mkdirSync(W);
    copyFileSync('/bin/sh', join(W, 'left'));
    chmodSync(join(W, 'left'), 0o755);
    const code = 'import os, sys; w = sys.argv[1]\nfd = os.open(w + "/made", os.O_WRONLY | os.O_CREAT, 0o755); os.write(fd, open(w + "/left", "rb").read()); os.close(fd)\n' +
      'for p in ("left", "made"):\n  try:\n    os.execv(w + "/" + p, ["sh", "-c", "echo escaped"])\n  except OSError as e: print(p, e.strerror)';
    const r = runPython(['--rw', W], code, [W]);
    expect(r.stdout).toBe('left Permission denied\nmade Permission denied\n');
    expect(statSync(join(W, 'made')).mode & 0o777).toBe(0o755);
  });

  it('cannot have the ELF loader run what it may not exec: program dirs unreadable, writable dirs noexec', () => {
    const W = join(dir, 'via-loader');
    mkdirSync(W);
    copyFileSync('/bin/echo', join(W, 'payload'));
    const loader = '/lib64/ld-linux-x86-64.so.2';
    const r = sh(['--rw', W], `for p in /bin/bash /usr/bin/python3 ${W}/payload; do ${loader} $p -c "echo escaped"; echo "rc=$?"; done`);
    expect(r.stdout).toBe('rc=127\nrc=127\nrc=127\n');
    expect(r.stderr).toContain('/bin/bash: cannot open shared object file: Permission denied');
    expect(r.stderr).toContain(`${W}/payload: failed to map segment from shared object`);
    // What it may exec it may also read: the loader runs that, no more.
    expect(sh(['--rx', '/bin/echo'], `${loader} /bin/echo listed`).stdout).toBe('listed\n');
  });

  it('refuses an executable memfd (beyond Landlock) and lets a sealed one be made', () => {
    const R = join(dir, 'memfd');
    mkdirSync(R);
    copyFileSync('/bin/echo', join(R, 'echo'));
    const code = 'import os, sys\ntry:\n  os.memfd_create("x", 0)\nexcept OSError as e: print("plain:", e.strerror)\n' +
      'fd = os.memfd_create("x", 8); os.write(fd, open(sys.argv[1], "rb").read())\n' +
      'try:\n  os.execve(fd, ["echo", "escaped"], {})\nexcept OSError as e: print("exec sealed:", e.strerror)';
    const r = runPython(['--ro', R], code, [join(R, 'echo')]);
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
    // Interfaces through netlink (NETLINK_ROUTE is allowed): /proc/self/net is not granted to commands.
    const code = 'import os, socket; print(os.readlink("/proc/self/ns/net")); print(len(socket.if_nameindex()))';
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
