// Issue 9 end to end, attacked as a hostile agent would: real `shimgate run` sessions in real bwrap,
// as root and as an unprivileged user. The agent tries the host's Unix sockets, credential stores, a
// credential file, deny paths created after it started, and the programs the server runs.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SHIMGATE_INSTALL_ROOT } from '@shimgate/sandbox';
import { waitUntil } from '../../server/src/testing/process-tree.js';
import { startAgentProcess } from './testing/cli-processes.js';
import { waitForControlSocket } from './testing/control-frames.js';
import { SessionFixture } from './testing/session-fixture.js';

const TEST_USER = 'shimgate-e2e';
const listeners: ChildProcess[] = [];

/** A Unix socket listener on the host, open to every uid, so only the sandbox's hiding can stop a connect. */
async function listen(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  const child = spawn('/usr/bin/python3', ['-c', [
    'import os, socket, sys',
    's = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o777); s.listen(8)',
    'while True: s.accept()[0].close()',
  ].join('\n'), path], { stdio: 'ignore' });
  listeners.push(child);
  await waitUntil(() => existsSync(path), `the listener at ${path}`);
}

/** Agent-side: try each socket, print "<path> connected" or "<path> refused". */
function connectScript(paths: readonly string[]): string {
  return paths.map((p) => `/usr/bin/python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])' ${p} 2>/dev/null && echo "${p} connected" || echo "${p} refused"`).join('; ');
}

function world(): { fx: SessionFixture; home: string; sockets: string[]; profile: string } {
  const fx = new SessionFixture();
  const home = join(fx.root, 'home');
  for (const [file, text] of [['.vault-token', 'VAULT-SECRET'], ['.pgpass', 'PG-SECRET'], ['.config/git/credentials', 'GIT-SECRET'], ['.cargo/bin/toolchain.txt', 'toolchain']]) {
    mkdirSync(dirname(join(home, file!)), { recursive: true });
    writeFileSync(join(home, file!), text!);
  }
  mkdirSync(join(fx.root, 'data'), { recursive: true });
  writeFileSync(join(fx.root, 'data', 'cred.txt'), 'CREDENTIAL-FILE-SECRET');
  writeFileSync(join(fx.root, 'data', 'plain.txt'), 'plain');
  const tool = fx.script('tool', 'echo "tool ran"');
  const profile = fx.profile({
    extends: 'default',
    filesystem: { read: [join(fx.root, 'data')], deny: [join(fx.root, 'data', 'later.txt'), '$WORKDIR/later-rw.txt', '$WORKDIR/never.txt'] },
    mediation: { commands: [{ name: 'tool', binary_path: tool, credentials: { TOKEN: { file: join(fx.root, 'data', 'cred.txt') } } }] },
  });
  // One listener under a tree the profile binds, one in the supervisor's XDG_RUNTIME_DIR.
  const sockets = [join(fx.root, 'data', 'app.sock'), join(fx.env.XDG_RUNTIME_DIR!, 'bus.sock')];
  return { fx, home, sockets, profile };
}

const root = world();
const hostTmpSocket = join('/tmp', `shimgate-hiding-test-${process.pid}.sock`);

beforeAll(async () => {
  for (const path of [...root.sockets, hostTmpSocket]) await listen(path);
});

afterAll(() => {
  for (const child of listeners) child.kill('SIGKILL');
  root.fx.cleanup();
});

describe('the agent cannot reach host Unix sockets', () => {
  it('not under a bound tree, not in XDG_RUNTIME_DIR, not in a host /tmp the profile lists; mediation.sock still works', () => {
    // Read-only is enough to connect() to a socket; writable would make the profile files agent-writable.
    const withTmp = root.fx.profile({ extends: root.profile, filesystem: { read: ['/tmp'] } }, 'with-tmp.json');
    const r = root.fx.agent(withTmp, `${connectScript([...root.sockets, hostTmpSocket])}; tool`, { confined: true, env: { HOME: root.home } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe([...root.sockets, hostTmpSocket].map((p) => `${p} refused\n`).join('') + 'tool ran\n');
    // The same listeners answer outside the sandbox: the refusals above are the sandbox's doing.
    const outside = spawnSync('/bin/sh', ['-c', connectScript([...root.sockets, hostTmpSocket])], { encoding: 'utf8' });
    expect(outside.stdout).toBe([...root.sockets, hostTmpSocket].map((p) => `${p} connected\n`).join(''));
  });
});

describe('the default profile keeps credential stores and late deny paths out of reach', () => {
  it('hides ~/.vault-token, ~/.pgpass, ~/.config/git/credentials and a credential file; shows the toolchain and the workdir', () => {
    const h = root.home;
    const r = root.fx.agent(root.profile, [
      `for f in ${h}/.vault-token ${h}/.pgpass ${h}/.config/git/credentials ${root.fx.root}/data/cred.txt; do cat "$f" 2>/dev/null; echo; done`,
      `cat ${h}/.cargo/bin/toolchain.txt; echo; cat ${root.fx.root}/data/plain.txt; echo`,
      'echo w > written.txt && echo workdir-ok',
    ].join('; '), { confined: true, env: { HOME: h } });
    expect(r.stdout).not.toMatch(/SECRET/);
    expect(r.stdout).toBe('\n\n\n\ntoolchain\nplain\nworkdir-ok\n');
    expect(readFileSync(join(root.fx.work, 'written.txt'), 'utf8')).toBe('w\n');
  });

  it('keeps a deny path hidden that appears after the session started, in a read-only and in a writable tree', async () => {
    const { fx } = root;
    const agent = startAgentProcess({ ...fx.env, HOME: root.home }, root.profile, fx.work, [
      'until [ -e go ]; do sleep 0.05; done',
      `ls ${fx.root}/data; cat ${fx.root}/data/later.txt; echo "ro rc=$?"; cat later-rw.txt; echo "rw rc=$?"`,
    ].join('; '));
    await waitForControlSocket(fx.env.XDG_RUNTIME_DIR!);
    writeFileSync(join(fx.root, 'data', 'later.txt'), 'LATE-RO-SECRET');
    writeFileSync(join(fx.work, 'later-rw.txt'), 'LATE-RW-SECRET'); // the placeholder, filled by the host
    writeFileSync(join(fx.work, 'go'), '');
    const result = await agent.done;
    expect(result.stdout).not.toMatch(/SECRET/);
    expect(result.stdout).not.toContain('later.txt');
    expect(result.stdout).toMatch(/ro rc=1\nrw rc=1\n$/); // later-rw.txt is /dev/null on a nodev mount: EACCES
    expect(result.stderr).toContain('later-rw.txt: Permission denied');
    expect(readFileSync(join(fx.work, 'later-rw.txt'), 'utf8')).toBe('LATE-RW-SECRET'); // the host's file stays
    expect(existsSync(join(fx.work, 'never.txt'))).toBe(false); // an unused placeholder is removed at the end
  });
});

describe('the caller\'s cwd crosses as a directory fd', () => {
  it('a mediated command run from a dir in the agent\'s private /tmp runs in that very dir', () => {
    const p = root.fx.profile({ extends: 'default', mediation: { commands: [{ name: 'stat', binary_path: '/usr/bin/stat' }] } }, 'stat.json');
    const r = root.fx.agent(p, [
      'mkdir -p /tmp/private-x && cd /tmp/private-x',
      'stat -c "%d:%i" .; echo "rc=$?"', // mediated: runs outside the sandbox, where /tmp/private-x does not exist
      '/usr/bin/python3 -c "import os; s = os.stat(\'.\'); print(f\'{s.st_dev}:{s.st_ino}\')"',
    ].join('; '), { confined: true, env: { HOME: root.home } });
    const [mediated, rc, agentSide] = r.stdout.split('\n');
    expect(rc).toBe('rc=0');
    expect(mediated).toMatch(/^\d+:\d+$/);
    expect(mediated).toBe(agentSide); // same device and inode: the agent's own dir, found by fd, not by name
    expect(existsSync('/tmp/private-x')).toBe(false); // and it never was a host path
  });
});

describe('Landlock scopes on the agent', () => {
  it('cannot connect to an abstract socket of the host, nor signal a process outside its sandbox', async () => {
    const name = `shimgate-abstract-test-${process.pid}`;
    const abstract = spawn('/usr/bin/python3', ['-c', [
      'import socket, sys',
      's = socket.socket(socket.AF_UNIX); s.bind("\\0" + sys.argv[1]); s.listen(8); print("ready", flush=True)',
      'while True: s.accept()[0].close()',
    ].join('\n'), name], { stdio: ['ignore', 'pipe', 'ignore'] });
    listeners.push(abstract);
    await new Promise((resolve) => abstract.stdout!.once('data', resolve));
    const probe = `import socket\ns = socket.socket(socket.AF_UNIX)\ntry:\n  s.connect("\\0${name}"); print("connected")\nexcept OSError as e:\n  print("refused", e.errno)\n`;
    writeFileSync(join(root.fx.work, 'abstract-probe.py'), probe);
    const outside = spawnSync('/usr/bin/python3', [join(root.fx.work, 'abstract-probe.py')], { encoding: 'utf8' });
    expect(outside.stdout).toBe('connected\n'); // the listener is there: refusals below are the sandbox's doing
    const r = root.fx.agent(root.profile, `/usr/bin/python3 abstract-probe.py; kill -0 ${process.pid} 2>/dev/null && echo signalled || echo no-signal`, { confined: true, env: { HOME: root.home } });
    expect(r.stdout).toBe('refused 1\nno-signal\n'); // EPERM from the scope; the pid is outside the pid namespace anyway
  });
});

describe('bwrap leaves no trace of what it hides', () => {
  it('/proc/1/cmdline names no hidden path, and the IPC namespace is the sandbox\'s own', () => {
    const r = root.fx.agent(root.profile, 'tr "\\0" " " < /proc/1/cmdline; echo; readlink /proc/self/ns/ipc', { confined: true, env: { HOME: root.home } });
    const [cmdline, ipc] = r.stdout.split('\n');
    expect(cmdline).toMatch(/^bwrap --args 3 -- \S+\/agent\/shimgate-agent-scope -- sh -c /);
    expect(cmdline).not.toContain('.ssh');
    expect(cmdline).not.toContain('/dev/null');
    expect(ipc).toMatch(/^ipc:\[\d+\]$/);
    expect(ipc).not.toBe(readlinkSync('/proc/self/ns/ipc'));
  });
});

describe('the agent cannot change what the server runs or obeys', () => {
  const refused = (args: string[], what: RegExp): void => {
    const marker = join(root.fx.root, 'agent-ran');
    const r = spawnSync(process.execPath, [join(SHIMGATE_INSTALL_ROOT, 'packages/cli/bin/shimgate.js'), 'run', ...args, '--', '/usr/bin/touch', marker], {
      env: { ...process.env, ...root.fx.env, HOME: root.home }, encoding: 'utf8',
    });
    expect(r.stderr).toContain('the agent could change what the server runs or obeys, so run refuses to start');
    expect(r.stderr).toMatch(what);
    expect(r.status).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
  };

  it('refuses the shimgate checkout as the workdir, naming it', () => {
    refused(['--profile', root.profile, '--workdir', SHIMGATE_INSTALL_ROOT], /shimgate's own install/);
  });

  it('refuses a profile file inside the workdir, naming it', () => {
    const inside = join(root.fx.work, 'agent-profile.json');
    writeFileSync(inside, JSON.stringify({ extends: 'default' }));
    refused(['--profile', inside, '--workdir', root.fx.work], new RegExp(`- ${inside}: a profile file`));
  });

  it('refuses a profile that makes the node binary writable, naming it', () => {
    const p = root.fx.profile({ extends: 'default', filesystem: { write: [dirname(process.execPath)] } }, 'node-writable.json');
    refused(['--profile', p, '--workdir', root.fx.work], new RegExp(`- ${process.execPath}: the node binary`));
  });
});

describe('as an unprivileged user', () => {
  const mine = world();
  let uid = -1;
  let gid = -1;
  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error('this test creates a system user and needs root');
    if (spawnSync('id', ['-u', TEST_USER]).status !== 0) {
      spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', TEST_USER]);
    }
    uid = Number(spawnSync('id', ['-u', TEST_USER], { encoding: 'utf8' }).stdout);
    gid = Number(spawnSync('id', ['-g', TEST_USER], { encoding: 'utf8' }).stdout);
    for (const path of mine.sockets) await listen(path);
    const chownTree = (dir: string): void => {
      chownSync(dir, uid, gid);
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) chownTree(path);
        else if (!path.endsWith('.sock')) chownSync(path, uid, gid);
      }
    };
    chownTree(mine.fx.root);
    chmodSync(mine.fx.root, 0o755);
  });
  afterAll(() => mine.fx.cleanup());

  it('gets the same hiding: no host socket, no credential store, the shim works', () => {
    const h = mine.home;
    const r = mine.fx.agent(mine.profile, `${connectScript([...mine.sockets, hostTmpSocket])}; cat ${h}/.vault-token ${mine.fx.root}/data/cred.txt 2>/dev/null; id -u; tool`, {
      confined: true, uid, gid, env: { HOME: h },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe([...mine.sockets, hostTmpSocket].map((p) => `${p} refused\n`).join('') + `${uid}\ntool ran\n`);
  });

  it('runs a mediated command in the very dir of its private /tmp, and keeps a late deny path hidden', () => {
    const p = mine.fx.profile({ extends: mine.profile, mediation: { commands: [{ name: 'stat', binary_path: '/usr/bin/stat' }] } }, 'stat-unpriv.json');
    chownSync(p, uid, gid);
    const r = mine.fx.agent(p, [
      'mkdir -p /tmp/private-y && cd /tmp/private-y',
      'stat -c "%d:%i" .',
      '/usr/bin/python3 -c "import os; s = os.stat(\'.\'); print(f\'{s.st_dev}:{s.st_ino}\')"',
      `cd ${mine.fx.work}; ls later-rw.txt >/dev/null && cat later-rw.txt; echo "rc=$?"`,
    ].join('; '), { confined: true, uid, gid, env: { HOME: mine.home } });
    const [mediated, agentSide, rc] = r.stdout.split('\n');
    expect(mediated).toMatch(/^\d+:\d+$/);
    expect(mediated).toBe(agentSide);
    expect(rc).toBe('rc=1'); // the placeholder for the missing deny path: there, and unreadable
  });
});
