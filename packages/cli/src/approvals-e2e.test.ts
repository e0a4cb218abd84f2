// Issue 6 end to end: an agent's admin-gated call waits in a real, sandboxed session until an admin
// answers on control.sock; only the supervisor's uid (or root) may answer.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { waitUntil } from '../../server/src/testing/process-tree.js';
import { startAgentProcess, type AgentProcess } from './testing/cli-processes.js';
import { shimgate } from './testing/run-cli.js';
import { controlCall, waitForControlSocket, waitForPending } from './testing/control-frames.js';
import { SessionFixture } from './testing/session-fixture.js';

const fx = new SessionFixture();
let profile: string;
beforeAll(() => {
  const gh = fx.script('gh', 'echo "gh ran: $*"');
  profile = fx.profile({
    extends: 'default',
    mediation: {
      commands: [{ name: 'gh', binary_path: gh, intercept: [{ args_prefix: ['pr', 'merge'], admin: true, action: { type: 'passthrough' } }] }],
      approval: { timeout_secs: 60 },
    },
  });
});
afterAll(() => fx.cleanup());

interface Running extends AgentProcess {
  control: Promise<string>;
}

function startAgent(script: string, profilePath = profile): Running {
  rmSync(join(fx.env.XDG_RUNTIME_DIR!, 'shimgate'), { recursive: true, force: true }); // one session at a time
  return { ...startAgentProcess(fx.env, profilePath, fx.work, script), control: waitForControlSocket(fx.env.XDG_RUNTIME_DIR!) };
}

describe('approvals through control.sock and the admin commands', () => {
  it('times out with 126 when nobody answers', async () => {
    const quick = fx.profile({
      extends: 'default',
      mediation: { commands: [{ name: 'gh', binary_path: join(fx.root, 'bin', 'gh'), intercept: [{ args_prefix: ['pr', 'merge'], admin: true, action: { type: 'passthrough' } }] }], approval: { timeout_secs: 1 } },
    }, 'quick.json');
    const result = await startAgent('gh pr merge 6; echo "rc=$?"', quick).done;
    expect(result.stdout).toBe('rc=126\n');
    expect(result.stderr).toContain('shimgate: gh: denied: approval timed out');
  });

  it('withdraws the request when the agent gives up, and the agent cannot reach control.sock itself', async () => {
    const agent = startAgent([
      'd=$(dirname "$(dirname "$SHIMGATE_SOCKET")")',
      '[ -e "$d/control.sock" ] && echo control-visible',
      'gh pr merge 5 & pid=$!',
      // The agent gives up only once the test has seen the request (it creates ./give-up then).
      'until [ -e give-up ]; do sleep 0.05; done',
      // TERM, not INT: sh starts background jobs with SIGINT ignored, and the shim keeps it ignored.
      'kill -TERM $pid; wait $pid; echo "rc=$?"',
    ].join('; '));
    const socket = await agent.control;
    await waitForPending(socket);
    writeFileSync(join(fx.work, 'give-up'), '');
    const result = await agent.done;
    expect(result.stdout).not.toContain('control-visible');
    expect(result.stdout).toBe('rc=126\n');
    expect(result.stderr).toContain('shimgate: gh: denied: withdrawn by the caller');
  });

  it('holds gh pr merge 7 until approved, then runs it; the audit log names the approver', async () => {
    const agent = startAgent('gh pr merge 7; echo "rc=$?"');
    const socket = await agent.control;
    const [pending] = await waitForPending(socket);
    expect(pending).toMatchObject({ command: 'gh', args: ['pr', 'merge', '7'], parent: null, rule: 'gh intercept[0] ["pr","merge"]' });
    expect(pending!.id).toMatch(/^[a-z0-9]{6}$/);
    expect(Date.parse(pending!.expires_at as string) - Date.parse(pending!.requested_at as string)).toBe(60_000);
    const approve = shimgate(['approve', pending!.id as string], { env: fx.env });
    expect(approve.status).toBe(0);
    expect(approve.stdout).toContain(`approved ${pending!.id as string}`);
    const result = await agent.done;
    expect(result.stdout).toBe('gh ran: pr merge 7\nrc=0\n');
    const id = basename(dirname(socket));
    const events = readFileSync(join(fx.env.XDG_STATE_HOME!, 'shimgate', 'audit', `${id}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => [e.action_type, e.approval?.status ?? e.approval?.decision])).toEqual([
      ['approve', 'requested'],
      ['approve', 'approved'],
      ['passthrough', 'approve'],
    ]);
    expect(events[1].approval).toMatchObject({ id: pending!.id, approver_uid: 0, approver_user: 'root', scope: 'once' });
    expect(events[2].approval).toMatchObject({ decision: 'approve', approver: { uid: 0, user: 'root' } });
  });

  it('lists the request for admins, and gives 126 with the reason on the agent\'s stderr when denied', async () => {
    const agent = startAgent('gh pr merge 8; echo "rc=$?"');
    const socket = await agent.control;
    const [pending] = await waitForPending(socket);
    const listed = shimgate(['approvals', '--json'], { env: fx.env });
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: pending!.id, command: 'gh', args: ['pr', 'merge', '8'] })]);
    expect(shimgate(['deny', pending!.id as string, '--reason', 'not on a Friday'], { env: fx.env }).status).toBe(0);
    const result = await agent.done;
    expect(result.stdout).toBe('rc=126\n');
    expect(result.stderr).toContain('shimgate: gh: denied: denied by root: not on a Friday');
  });

  it('with scope session lets the second identical call through without asking', async () => {
    const agent = startAgent('gh pr merge 9; gh pr merge 10; echo "rc=$?"');
    const socket = await agent.control;
    const [pending] = await waitForPending(socket);
    expect(shimgate(['approve', pending!.id as string, '--scope', 'session'], { env: fx.env }).status).toBe(0);
    expect(shimgate(['approve', pending!.id as string], { env: fx.env }).status).toBe(1); // already decided
    const result = await agent.done;
    expect(result.stdout).toBe('gh ran: pr merge 9\ngh ran: pr merge 10\nrc=0\n');
  });

  it('refuses a mediated command (same uid, outside bwrap) that tries to approve the agent\'s request', async () => {
    const approver = fx.script('self-approver', `exec python3 -c '
import json, os, socket, struct
path = os.path.join(os.path.dirname(os.path.dirname(os.environ["SHIMGATE_SOCKET"])), "control.sock")
def call(req):
    s = socket.socket(socket.AF_UNIX); s.connect(path)
    b = json.dumps(req).encode()
    try: s.sendall(struct.pack(">I", len(b)) + b); data = s.recv(65536)
    except (ConnectionResetError, BrokenPipeError): data = b""  # refused: closed before or after the frame
    return json.loads(data[4:]) if data else None
pending = call({"op": "pending"})
print("pending answer:", pending)
'`);
    const selfProfile = fx.profile({
      extends: 'default',
      mediation: {
        commands: [
          { name: 'gh', binary_path: join(fx.root, 'bin', 'gh'), intercept: [{ args_prefix: ['pr', 'merge'], admin: true, action: { type: 'passthrough' } }] },
          { name: 'self-approver', binary_path: approver },
        ],
        approval: { timeout_secs: 60 },
      },
    }, 'self.json');
    const agent = startAgent('gh pr merge 4 & until [ -e go ]; do sleep 0.05; done; self-approver > approver.out 2>&1; touch approver.done; wait $!; echo "rc=$?"', selfProfile);
    const socket = await agent.control;
    const [pending] = await waitForPending(socket);
    writeFileSync(join(fx.work, 'go'), ''); // the request is pending: now the self-approver has its go
    const out = join(fx.work, 'approver.out');
    await waitUntil(() => existsSync(join(fx.work, 'approver.done')), 'the self-approver to finish');
    expect(readFileSync(out, 'utf8')).toBe('pending answer: None\n');
    expect((await controlCall(socket, { op: 'pending' })).pending).toHaveLength(1);
    await controlCall(socket, { op: 'decide', id: pending!.id, decision: 'deny' });
    const result = await agent.done;
    expect(result.stdout).toBe('rc=126\n');
  });

  it('refuses another uid at control.sock, even with the socket opened up', async () => {
    const user = 'shimgate-peer-test';
    try {
      execFileSync('id', ['-u', user], { stdio: 'ignore' });
    } catch {
      execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user]);
    }
    const agent = startAgent('gh pr merge 11; echo "rc=$?"');
    const socket = await agent.control;
    const [pending] = await waitForPending(socket);
    const tryAs = (): Promise<string> =>
      promisify(execFile)('runuser', ['-u', user, '--', 'python3', '-c',
        `import socket,struct,json,sys
s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
b=json.dumps({"op":"decide","id":sys.argv[2],"decision":"approve"}).encode()
try: s.sendall(struct.pack(">I",len(b))+b); print(s.recv(100) or b"closed")
except (BrokenPipeError, ConnectionResetError): print(b"closed")`, socket, pending!.id as string]).then((r) => r.stdout.trim(), (e: { stderr: string }) => e.stderr);
    expect(await tryAs()).toContain('Permission denied'); // the session dir is 0700: it cannot even reach it
    for (let dir = dirname(socket); dir.startsWith(fx.root); dir = dirname(dir)) chmodSync(dir, 0o755);
    chmodSync(socket, 0o666);
    expect(await tryAs()).toBe("b'closed'"); // SO_PEERCRED: cut off without an answer
    expect((await controlCall(socket, { op: 'pending' })).pending).toHaveLength(1); // still pending
    await controlCall(socket, { op: 'decide', id: pending!.id, decision: 'deny' });
    expect((await agent.done).stdout).toBe('rc=126\n');
  });
});
