// Integration: runs the real bubblewrap (as root, and once as an unprivileged user) against a temporary
// world. Needs bwrap; fails loudly when it is missing or cannot build a sandbox here.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ResolvedProfile } from '@shimgate/profile';
import { agentSandboxCommand, type AgentSandboxOptions } from './agent-sandbox.js';
import { probeBwrap } from './probes.js';

const TEST_USER = 'shimgate-sbx-test';
let W = '';
const at = (p: string): string => join(W, p);

function profile(fs: Partial<ResolvedProfile['filesystem']>, block = false): ResolvedProfile {
  return {
    meta: { name: 'test', description: '' },
    workdir: { access: 'readwrite' },
    filesystem: {
      read: ['/usr', '/bin', '/lib', '/lib64', '/etc', at('home'), at('bin'), at('binalias'), at('run'), at('state')],
      write: [at('rw')],
      read_file: [],
      write_file: [],
      deny: [at('home/.secret'), at('home/.secretdir'), at('rw/deny.txt')],
      ...fs,
    },
    network: { block, allow_domain: [] },
    mediation: { commands: [], env: { block: [] }, audit: { commands: [] }, approval: { timeout_secs: 300 } },
  };
}

function options(over: Partial<AgentSandboxOptions> = {}): AgentSandboxOptions {
  return {
    profile: profile({}),
    workdir: at('work'),
    agentDir: at('run/shimgate/sessions/me/agent'),
    runtimeRoot: at('run/shimgate'),
    hiddenDirs: [at('state/shimgate')],
    mediatedBinaries: [at('bin/tool-link')],
    command: [],
    ...over,
  };
}

interface Outcome { code: number | null; stdout: string; stderr: string }

/** bwrap's options as the sandbox passes them, on fd 3. */
function optionsOnFd3(fd3: Buffer): string[] {
  return fd3.toString().split('\0').slice(0, -1);
}

function sandboxed(script: string, over: Partial<AgentSandboxOptions> = {}, user?: string): Promise<Outcome> {
  const { file, args, fd3 } = agentSandboxCommand(options({ ...over, command: ['/bin/sh', '-c', script] }));
  const [cmd, argv] = user ? ['runuser', ['-u', user, '--', file, ...args]] : [file, args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    (child.stdio[3] as NodeJS.WritableStream).end(fd3);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function put(path: string, text: string, mode = 0o644): void {
  mkdirSync(dirname(at(path)), { recursive: true, mode: 0o755 });
  writeFileSync(at(path), text, { mode });
}

beforeAll(() => {
  const probe = probeBwrap();
  if (!probe.ok) throw new Error(`these tests need a working bubblewrap: ${probe.detail} — fix: ${probe.fix}`);
  W = mkdtempSync(join(tmpdir(), 'shimgate-sbx-'));
  put('home/.secret', 'TOP-SECRET');
  put('home/.secretdir/key', 'DIR-SECRET');
  put('home/readme', 'hello\n');
  put('rw/deny.txt', 'RW-SECRET');
  mkdirSync(at('work'), { mode: 0o755 });
  put('bin/tool', '#!/bin/sh\necho tool-ran\n', 0o755);
  put('bin/other', '#!/bin/sh\necho other-ran\n', 0o755);
  symlinkSync('tool', at('bin/tool-link'));
  symlinkSync('bin', at('binalias'));
  put('run/shimgate/sessions/other/session.json', 'OTHER-SESSION');
  put('run/shimgate/sessions/other/control.sock', '');
  put('run/shimgate/sessions/me/agent/x', 'AGENT-FILE');
  put('state/shimgate/audit/me.jsonl', 'AUDIT-LINE');
  const readable = spawnSync('chmod', ['-R', 'a+rX', W], { encoding: 'utf8' }); // whatever the umask
  if (readable.status !== 0) throw new Error(`chmod -R a+rX ${W}: ${readable.stderr}`);
});

afterAll(() => {
  if (W) rmSync(W, { recursive: true, force: true });
});

describe('agentSandboxCommand', () => {
  it('returns bwrap reading its options from fd 3, then the command; the options name no hidden path on the command line', () => {
    const { file, args, fd3 } = agentSandboxCommand(options({ command: ['agent', '--flag'], bwrapPath: '/usr/bin/bwrap' }));
    expect(file).toBe('/usr/bin/bwrap');
    expect(args).toEqual(['--args', '3', '--', 'agent', '--flag']);
    expect(optionsOnFd3(fd3)).toEqual(expect.arrayContaining(['--unshare-pid', '--unshare-ipc', '--ro-bind', '/dev/null', at('bin/tool')]));
  });

  it('hides a mediated binary by its real path at every path a bind shows it, never at the symlink', () => {
    const args = optionsOnFd3(agentSandboxCommand(options({ command: ['true'] })).fd3);
    const nulled = args.flatMap((a, i) => (a === '/dev/null' ? [args[i + 1]] : []));
    expect(nulled).toEqual(expect.arrayContaining([at('bin/tool'), at('binalias/tool')]));
    expect(nulled).not.toContain(at('bin/tool-link'));
  });

  it('refuses an empty command and a hidden dir that does not exist', () => {
    expect(() => agentSandboxCommand(options())).toThrow(/no agent command/);
    expect(() => agentSandboxCommand(options({ command: ['true'], hiddenDirs: [at('nope')] }))).toThrow(/hidden dir .*nope does not exist/);
  });
});

describe('the agent sandbox, run by bwrap as root', () => {
  it('hides denied files and dirs, also inside a writable dir, and shows the rest', async () => {
    const r = await sandboxed(`cat ${at('home/.secret')} ${at('rw/deny.txt')} ${at('home/readme')}; ls -A ${at('home/.secretdir')}; echo x > ${at('rw/deny.txt')}; echo end`);
    expect(r.stdout).toBe('hello\nend\n');
    expect(readFileSync(at('rw/deny.txt'), 'utf8')).toBe('RW-SECRET');
  });

  it('refuses writes outside the writable set', async () => {
    const r = await sandboxed(`echo x > ${at('home/new')}; echo $?; echo x > /etc/shimgate-test; echo $?; echo x > /nowhere/x; echo $?; mkdir /newdir; echo $?`);
    const codes = r.stdout.trim().split('\n').map(Number);
    expect(codes).toHaveLength(4);
    expect(codes.filter((code) => code === 0)).toEqual([]);
    expect(r.stderr).toMatch(/Read-only file system/);
    expect(r.stderr).toMatch(/nowhere\/x: (Directory nonexistent|Read-only file system|No such file)/);
  });

  it('lets the agent write its workdir and the write list, starting in the workdir', async () => {
    const r = await sandboxed(`pwd; echo hi > out.txt && echo rw > ${at('rw/made.txt')} && echo done`);
    expect(r.stdout).toBe(`${at('work')}\ndone\n`);
    expect(readFileSync(at('work/out.txt'), 'utf8')).toBe('hi\n');
    expect(readFileSync(at('rw/made.txt'), 'utf8')).toBe('rw\n');
  });

  it('makes a mediated binary unrunnable by any absolute path while others run', async () => {
    const r = await sandboxed(`${at('bin/other')}; for p in bin/tool binalias/tool bin/tool-link; do ${W}/$p; echo "$p $?"; done`);
    expect(r.stdout).toBe('other-ran\nbin/tool 126\nbinalias/tool 126\nbin/tool-link 126\n');
    expect(r.stdout).not.toContain('tool-ran');
  });

  it.each([
    ['a read-only', (): Partial<AgentSandboxOptions> => ({})],
    ['a writable', (): Partial<AgentSandboxOptions> => ({ profile: profile({ write: ['/tmp', at('rw')] }) })],
  ])('shows only its own agent dir, read-only, from the runtime root under %s parent', async (_name, over) => {
    const agent = at('run/shimgate/sessions/me/agent');
    const r = await sandboxed(
      `ls -A ${at('run/shimgate/sessions')}; cat ${at('run/shimgate/sessions/other/session.json')}; cat ${agent}/x; echo; ` +
        `echo y > ${agent}/x; ls -A ${at('state/shimgate')}; cat ${at('state/shimgate/audit/me.jsonl')}; touch ${at('run/shimgate/new')}; echo end`,
      over(),
    );
    expect(r.stdout).toBe('me\nAGENT-FILE\nend\n');
    expect(r.stderr).toMatch(/x: Read-only file system/);
    expect(r.stderr).toMatch(/shimgate\/new'?: Read-only file system/);
    expect(r.stderr).toMatch(/session\.json: No such file/);
    expect(readFileSync(join(agent, 'x'), 'utf8')).toBe('AGENT-FILE');
  });

  describe('network', () => {
    let server: Server;
    let port = 0;
    let connections = 0;
    beforeAll(async () => {
      server = createServer((s) => {
        connections++;
        s.resume();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('reaches a loopback listener outside without network.block', async () => {
      const r = await sandboxed(`/bin/bash -c 'echo hi > /dev/tcp/127.0.0.1/${port}' && echo connected`);
      expect(r.stdout).toBe('connected\n');
      expect(connections).toBeGreaterThan(0);
    });

    it('cannot reach it with network.block', async () => {
      const before = connections;
      const r = await sandboxed(`/bin/bash -c 'echo hi > /dev/tcp/127.0.0.1/${port}' && echo connected`, { profile: profile({}, true) });
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/Connection refused/);
      expect(connections).toBe(before);
    });
  });

  it('runs the agent in its own pid namespace', async () => {
    const r = await sandboxed('echo $$');
    expect(Number(r.stdout)).toBeLessThan(10);
  });
});

describe('the agent sandbox, run by bwrap as an unprivileged user', () => {
  let uid = -1;
  beforeAll(() => {
    if (process.getuid?.() !== 0) throw new Error('this test creates a system user and needs root');
    if (spawnSync('id', ['-u', TEST_USER]).status !== 0) {
      const add = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', TEST_USER], { encoding: 'utf8' });
      if (add.status !== 0) throw new Error(`useradd ${TEST_USER} failed: ${add.stderr}`);
    }
    uid = Number(spawnSync('id', ['-u', TEST_USER], { encoding: 'utf8' }).stdout);
    chownSync(at('work'), uid, uid);
  });

  it('gets the same hiding and its own writable workdir, without privileges', async () => {
    const r = await sandboxed(
      `id -u; echo $$; echo mine > by-user.txt && echo wrote; cat ${at('home/.secret')}; ${at('bin/tool')}; echo "tool $?"; ` +
        `cat ${at('run/shimgate/sessions/me/agent/x')}; echo; ls -A ${at('run/shimgate/sessions')}`,
      {},
      TEST_USER,
    );
    const [id, pid, ...rest] = r.stdout.split('\n');
    expect(Number(id)).toBe(uid);
    expect(Number(pid)).toBeLessThan(10);
    expect(rest.join('\n')).toBe('wrote\ntool 126\nAGENT-FILE\nme\n');
    expect(readFileSync(at('work/by-user.txt'), 'utf8')).toBe('mine\n');
  });
});
