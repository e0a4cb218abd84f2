// Issue 5 end to end: `shimgate run` without --unconfined puts the agent in bubblewrap and every real
// binary in the Landlock/seccomp helper. Real sandboxes, as root and as an unprivileged user; nothing
// here skips: a machine that cannot sandbox fails these tests.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { SessionFixture } from './testing/session-fixture.js';

const home = 'home';
const fx = new SessionFixture();
const HOME = join(fx.root, home);
let profile: string;
let blockedProfile: string;
let listener: Server;
let port = 0;

beforeAll(async () => {
  mkdirSync(join(HOME, '.ssh'), { recursive: true });
  writeFileSync(join(HOME, '.ssh', 'id_rsa'), 'PRIVATE KEY\n');
  writeFileSync(join(HOME, 'notes.txt'), 'not-allow-listed\n');
  mkdirSync(join(HOME, '.cargo', 'bin'), { recursive: true });
  writeFileSync(join(HOME, '.cargo', 'bin', 'cargo-tool'), 'toolchain\n');
  mkdirSync(join(fx.root, 'data', 'allowed'), { recursive: true });
  mkdirSync(join(fx.root, 'data', 'sibling'), { recursive: true });
  writeFileSync(join(fx.root, 'data', 'allowed', 'x.txt'), 'allowed-content\n');
  writeFileSync(join(fx.root, 'data', 'sibling', 'y.txt'), 'sibling-content\n');
  const tool = fx.script('tool', 'echo "tool ran: $*"');
  const reader = fx.script('reader', 'cat "$@"');
  const netcheck = fx.script('netcheck', `exec /usr/bin/python3 -c 'import socket,sys; s=socket.socket(); s.connect(("127.0.0.1", int(sys.argv[1]))); print("connected")' "$@"`);
  const outer = fx.script('outer', 'tool "nested from outer"');
  const runner = fx.script('runner', '"$@"; echo "rc=$?"'); // runs whatever the agent names
  const commands = [
    { name: 'tool', binary_path: tool },
    // Each lists what its script runs: nothing else is executable inside a mediated command.
    { name: 'reader', binary_path: reader, sandbox: { fs_read: [join(fx.root, 'data', 'allowed')], exec: ['/bin/cat'] } },
    { name: 'netcheck', binary_path: netcheck, sandbox: { network: { block: true }, exec: ['/usr/bin/python3'] } },
    { name: 'netopen', binary_path: netcheck, sandbox: { exec: ['/usr/bin/python3'] } },
    { name: 'outer', binary_path: outer },
    { name: 'runner', binary_path: runner },
  ];
  profile = fx.profile({ extends: 'default', mediation: { commands } });
  blockedProfile = fx.profile({ extends: 'default', network: { block: true }, mediation: { commands } }, 'blocked.json');
  listener = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as { port: number }).port;
});
afterAll(() => {
  listener.close();
  fx.cleanup();
});

const confined = (script: string, p = profile) => fx.agent(p, script, { confined: true, env: { HOME } });

describe('the agent sandbox', () => {
  it('starts without --unconfined and says nothing about UNCONFINED', () => {
    const r = confined('echo inside');
    expect(r.stdout).toBe('inside\n');
    expect(r.stderr).not.toContain('UNCONFINED');
    expect(r.events).toEqual([]);
  });

  it('shows $HOME only by allow-list: a toolchain dir yes, denied files and the rest no', () => {
    const r = confined(`cat ${HOME}/.ssh/id_rsa; echo "rc=$?"; cat ${HOME}/notes.txt; echo "rc=$?"; cat ${HOME}/.cargo/bin/cargo-tool`);
    expect(r.stdout).not.toContain('PRIVATE KEY');
    expect(r.stdout).not.toContain('not-allow-listed');
    expect(r.stdout).toBe('rc=1\nrc=1\ntoolchain\n');
  });

  it('lets the agent write the workdir and nothing outside the writable set', () => {
    const r = confined(`echo w > ${fx.work}/ok.txt && echo workdir-ok; mkdir -p ${HOME} && echo x > ${HOME}/new.txt; echo x > /etc/shimgate-x || echo etc-refused`);
    expect(r.stdout).toContain('workdir-ok');
    expect(r.stdout).toContain('etc-refused');
    // $HOME is not bound: whatever the agent writes at that path lands in its private /tmp, not the host.
    expect(existsSync(join(HOME, 'new.txt'))).toBe(false);
  });

  it('refuses a mediated command\'s real binary by absolute path while its shim works', () => {
    const r = confined(`${join(fx.root, 'bin', 'tool')} direct; echo "direct rc=$?"; tool via-shim`);
    expect(r.stdout).not.toContain('tool ran: direct');
    expect(r.stdout).toMatch(/direct rc=12[67]/);
    expect(r.stdout).toContain('tool ran: via-shim');
  });

  it('shows no control socket, audit log or other session, and the shim files read-only', () => {
    const state = fx.env.XDG_STATE_HOME!;
    const sessionsDir = join(fx.env.XDG_RUNTIME_DIR!, 'shimgate', 'sessions');
    mkdirSync(join(sessionsDir, 'other-session-dir'), { recursive: true });
    writeFileSync(join(sessionsDir, 'other-session-dir', 'session.json'), '{}');
    const r = confined([
      'd=$(dirname "$(dirname "$SHIMGATE_SOCKET")")',
      'ls "$d/control.sock" 2>/dev/null && echo control-visible',
      '[ -e "$d/session.json" ] && echo session-json-visible',
      `ls ${state}/shimgate/audit 2>/dev/null | grep -q . && echo audit-visible`,
      `[ -e ${sessionsDir}/other-session-dir/session.json ] && echo other-visible`,
      'touch "$SHIMGATE_SHIM_SOURCES_DIR/x" 2>/dev/null && echo sources-writable',
      'touch "$SHIMGATE_SHIM_DIR/x" 2>/dev/null && echo shims-writable',
      'echo checked',
    ].join('; '));
    expect(r.stdout.trim()).toBe('checked');
  });

  it('leaves the agent no capability, so it cannot unmount what hides shimgate\'s files', () => {
    const root = join(fx.env.XDG_RUNTIME_DIR!, 'shimgate');
    const r = confined(`grep ^CapEff /proc/self/status; umount -l ${root} 2>/dev/null && echo unmounted; [ -e "$(dirname "$(dirname "$SHIMGATE_SOCKET")")/control.sock" ] && echo control-visible; echo end`);
    expect(r.stdout).toBe('CapEff:\t0000000000000000\nend\n');
  });

  it('with network.block, a TCP connect to a loopback listener outside fails', () => {
    const open = confined(`python3 -c 'import socket; socket.create_connection(("127.0.0.1", ${port}), 2); print("connected")'`);
    expect(open.stdout).toContain('connected');
    const blocked = confined(`python3 -c 'import socket; socket.create_connection(("127.0.0.1", ${port}), 2); print("connected")' 2>/dev/null || echo refused`, blockedProfile);
    expect(blocked.stdout.trim()).toBe('refused');
  });
});

describe('the per-command sandbox', () => {
  it('lets a command read its fs_read dir and not a sibling', () => {
    const ok = confined(`reader ${join(fx.root, 'data', 'allowed', 'x.txt')}`);
    expect(ok.stdout).toBe('allowed-content\n');
    const no = confined(`reader ${join(fx.root, 'data', 'sibling', 'y.txt')}`);
    expect(no.stdout).toBe('');
    expect(no.stderr).toContain('Permission denied');
  });

  it('with network.block the command cannot open a TCP socket; without it, it can', () => {
    expect(confined(`netcheck ${port}`).stderr).toContain('PermissionError');
    expect(confined(`netopen ${port}`).stdout).toBe('connected\n');
  });

  it('skips sandbox paths that do not exist, with a warning at start', () => {
    const missing = join(fx.root, 'no-such-dir');
    const p = fx.profile({ extends: 'default', mediation: { commands: [{ name: 'tool', binary_path: join(fx.root, 'bin', 'tool'), sandbox: { fs_read: [missing] } }] } }, 'missing.json');
    const r = confined('tool still-runs', p);
    expect(r.stderr).toContain(`shimgate: sandbox of tool: ${missing} does not exist, skipping it`);
    expect(r.stdout).toBe('tool ran: still-runs\n');
  });

  // runner is a #!/bin/sh script, so /bin/sh (its interpreter) is the one program it may run besides itself.
  it('runs nothing its profile does not list: bash, python3 or a copy of sh the agent left in the workdir', () => {
    const r = confined(`cp /bin/sh ${fx.work}/mysh; runner /bin/bash -c "echo escaped"; runner /usr/bin/python3 -c 1; runner ${fx.work}/mysh -c "echo escaped"`);
    expect(r.stdout).toBe('rc=126\nrc=126\nrc=126\n');
    expect(r.stderr).toContain('/bin/bash: Permission denied');
  });

  it('a command without network of its own inherits the agent\'s network.block', () => {
    const r = confined(`netopen ${port}`, blockedProfile);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('PermissionError');
  });

  it('its child calling another mediated command through the shim still reaches the server', () => {
    const r = confined('outer');
    expect(r.stdout).toBe('tool ran: nested from outer\n');
    expect(r.events.map((e) => [e.command, e.parent])).toEqual([['tool', 'outer'], ['outer', null]]);
  });
});

describe('as an unprivileged user', () => {
  const user = 'shimgate-e2e';
  let uid = 0;
  let gid = 0;
  beforeAll(() => {
    if (process.getuid!() !== 0) throw new Error('needs root to create the test user (CI runs as root)');
    try {
      execFileSync('id', ['-u', user], { stdio: 'ignore' });
    } catch {
      execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user]);
    }
    uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
    gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
    const chownTree = (dir: string): void => {
      chownSync(dir, uid, gid);
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) chownTree(path);
        else chownSync(path, uid, gid);
      }
    };
    chownTree(fx.root);
  });

  it('runs the same sandbox: denied file hidden, writes confined, real binary refused, shim works', () => {
    const script = [
      'id -u',
      `cat ${HOME}/.ssh/id_rsa || echo denied`,
      `mkdir -p ${HOME} && echo x > ${HOME}/new.txt`,
      `echo x > ${fx.work}/mine.txt && echo workdir-ok`,
      'd=$(dirname "$(dirname "$SHIMGATE_SOCKET")"); [ -e "$d/control.sock" ] || echo control-hidden',
      `${join(fx.root, 'bin', 'tool')} direct || echo direct-refused`,
      'tool ok',
      `netcheck ${port} 2>&1 | grep -o PermissionError`, // its own user + network namespace
      'runner /bin/bash -c "echo escaped"',
    ].join('; ');
    const r = fx.agent(profile, script, { confined: true, uid, gid, env: { HOME, XDG_RUNTIME_DIR: '' } });
    expect(r.stderr).not.toContain('UNCONFINED');
    expect(r.stdout).toBe(`${uid}\ndenied\nworkdir-ok\ncontrol-hidden\ndirect-refused\ntool ran: ok\nPermissionError\nrc=126\n`);
    expect(existsSync(join(HOME, 'new.txt'))).toBe(false); // the host $HOME is not bound
  });
});
