// Issue 4 end to end: every action, every caller-policy shape, nesting, the broker's nonces and the
// flag-trick cases, through the real CLI, server and C shim.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shimgate } from './testing/run-cli.js';
import { SessionFixture } from './testing/session-fixture.js';

const CREDENTIAL = 'cred-7f3a-never-shown';
const fx = new SessionFixture({ SG_TEST_CREDENTIAL: CREDENTIAL });
let profile: string;

beforeAll(() => {
  const echoargs = fx.script('echoargs', 'for a in "$@"; do printf "%s\\n" "$a"; done; [ -n "$SHOW_ENV" ] && env | sort; exit 0');
  const secret = fx.script('secret-tool', 'printf "  s3cr3t-v4lue \\n\\n"');
  const failing = fx.script('failing-secret', 'echo "no token: not logged in"; exit 3');
  const inner = fx.script('inner', 'echo "inner ran: $*"');
  const outer = fx.script('outer', 'inner "$@"; echo "outer got $?"');
  profile = fx.profile({
    extends: 'default',
    mediation: {
      commands: [
        // The child's environment is an allow-list, and so is what it may execute: the script runs
        // `env | sort` for SHOW_ENV, and the test's own variables must be listed to arrive.
        { name: 'echoargs', binary_path: echoargs, credentials: { SECRET_X: { env: 'SG_TEST_CREDENTIAL' } }, sandbox: { exec: ['/usr/bin/env', '/usr/bin/sort'], env_pass: ['SHOW_ENV', 'TOKEN', 'OTHER', 'LD_PRELOAD'] } },
        { name: 'secret-tool', binary_path: secret, intercept: [{ action: { type: 'capture' } }] },
        { name: 'failing-secret', binary_path: failing, intercept: [{ action: { type: 'capture' } }] },
        {
          name: 'slow-secret', intercept: [{ action: { type: 'capture' } }], sandbox: { exec: ['/usr/bin/touch', '/usr/bin/sleep'] },
          binary_path: fx.script('slow-secret', 'printf "SLOW-SECRET"; touch started; sleep 30'),
        },
        { name: 'scripted', intercept: [{ args_prefix: ['token'], action: { type: 'capture', script: 'printf "from-script-%s" "$*"' } }] },
        { name: 'hello', binary_path: echoargs, intercept: [{ args_prefix: ['status'], action: { type: 'respond', stdout: 'Logged in\n', stderr: 'a note\n', exit_code: 3 } }] },
        { name: 'git', binary_path: echoargs, intercept: [{ args_prefix: ['push'], action: { type: 'deny', message: 'no pushing' } }] },
        {
          name: 'gh', binary_path: echoargs, flags_with_values: ['-R', '--repo'],
          intercept: [
            { args_prefix: ['pr', 'merge'], admin: true, action: { type: 'passthrough' } },
            { args_prefix: ['repo', 'delete'], action: { type: 'deny', exit_code: 9 } },
          ],
        },
        { name: 'kubectl', binary_path: echoargs, intercept: [{ args_prefix: ['delete'], action: { type: 'approve' } }] },
        { name: 'outer', binary_path: outer },
        { name: 'inner', binary_path: inner, caller_policy: { agent_allowed: false, allowed_parents: ['outer', 'allowing-parent', 'context-leaker'] } },
        { name: 'agent-only', binary_path: inner, caller_policy: { allowed_parents: [] } },
        { name: 'any-caller', binary_path: inner, caller_policy: { allowed_parents: null } },
        { name: 'outer-of-agent-only', binary_path: fx.script('outer-of-agent-only', 'agent-only "$@"') },
        { name: 'outer-of-any', binary_path: fx.script('outer-of-any', 'any-caller "$@"') },
        { name: 'stranger', binary_path: fx.script('stranger', 'inner "$@"') },
        { name: 'context-leaker', binary_path: fx.script('context-leaker', 'printf %s "$SHIMGATE_SANDBOX_CONTEXT" > leaked-context; until [ -e release ]; do sleep 0.05; done'), sandbox: { exec: ['/usr/bin/sleep'] } },
        { name: 'allowing-parent', binary_path: fx.script('allowing-parent', 'inner "$@"'), sandbox: { allow_commands: ['inner'] } },
      ],
      approval: { timeout_secs: 1 }, // nobody answers in these tests: each admin call times out
    },
  });
});
afterAll(() => fx.cleanup());

describe('actions', () => {
  it('passthrough runs the real binary with the caller\'s args', () => {
    const r = fx.agent(profile, 'echoargs a "b c"');
    expect(r.stdout).toBe('a\nb c\n');
    expect(r.events.at(-1)).toMatchObject({ command: 'echoargs', action_type: 'passthrough', rule: 'default', exit_code: 0 });
  });

  it('respond writes the canned output and exit code without running anything', () => {
    const r = fx.agent(profile, 'hello status');
    expect(r.stdout).toBe('Logged in\n');
    expect(r.stderr).toContain('a note\n');
    expect(r.status).toBe(3);
    expect(r.events.at(-1)).toMatchObject({ action_type: 'respond', rule: 'hello intercept[0] ["status"]' });
  });

  it('deny prints the message and exits 126, or the rule\'s exit code', () => {
    const r = fx.agent(profile, 'git push origin');
    expect(r.status).toBe(126);
    expect(r.stderr).toContain('shimgate: git: denied: no pushing');
    expect(fx.agent(profile, 'gh repo delete o/r').status).toBe(9);
  });

  it('capture prints a nonce for the trimmed output, and never logs the secret', () => {
    const r = fx.agent(profile, 'secret-tool');
    expect(r.stdout).toMatch(/^shimgate_[0-9a-f]{64}\n$/);
    expect(r.stdout).not.toContain('s3cr3t');
    expect(r.events.at(-1)).toMatchObject({ action_type: 'capture', exit_code: 0 });
    expect(r.auditText).not.toContain('s3cr3t');
  });

  it('capture withholds a failing command\'s output (it may hold the secret) and keeps its exit code', () => {
    const r = fx.agent(profile, 'failing-secret');
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('shimgate: failing-secret: capture failed: the command exited 3; its output is withheld');
    expect(r.status).toBe(3);
  });

  it('capture withholds the output of a command signalled after printing its secret', () => {
    const r = fx.agent(profile, 'rm -f started; slow-secret & pid=$!; until [ -e started ]; do sleep 0.05; done; kill -TERM $pid; wait $pid; echo "rc=$?"');
    expect(r.stdout).toBe('rc=143\n');
    expect(r.stderr).not.toContain('SLOW-SECRET');
    expect(r.auditText).not.toContain('SLOW-SECRET');
  });

  it('capture with a script runs it through sh -c with the call\'s args', () => {
    const r = fx.agent(profile, 't=$(scripted token abc); echoargs "$t"');
    expect(r.stdout).toBe('from-script-token abc\n');
  });

  it('admin rules and approve actions are denied when no admin answers in time', () => {
    const merge = fx.agent(profile, 'gh pr merge 7');
    expect(merge.status).toBe(126);
    expect(merge.stderr).toContain('shimgate: gh: denied: approval timed out');
    expect(merge.events.at(-1)).toMatchObject({ action_type: 'denied', approval: { decision: 'deny', reason: 'approval timed out' } });
    expect(fx.agent(profile, 'kubectl delete pod x').status).toBe(126);
  });
});

describe('the broker', () => {
  it('replaces a nonce anywhere inside an argument with its secret', () => {
    const r = fx.agent(profile, 't=$(secret-tool); echoargs -H "Authorization: Bearer $t" "$t"');
    expect(r.stdout).toBe('-H\nAuthorization: Bearer s3cr3t-v4lue\ns3cr3t-v4lue\n');
    expect(r.auditText).not.toContain('s3cr3t');
  });

  it('replaces nonces inside listed env values, never passes a dangerous name even when listed, and leaves unknown nonces literal', () => {
    const unknown = `shimgate_${'0'.repeat(64)}`;
    const r = fx.agent(profile, `t=$(secret-tool); TOKEN="x-$t" LD_PRELOAD="$t" OTHER=${unknown} SHOW_ENV=1 echoargs`);
    expect(r.stdout).toContain('TOKEN=x-s3cr3t-v4lue\n');
    expect(r.stdout).toContain(`OTHER=${unknown}\n`);
    expect(r.stdout).not.toContain('LD_PRELOAD');
  });
});

describe('credentials', () => {
  it('reach the real binary\'s environment only: not the agent, not the audit log', () => {
    const r = fx.agent(profile, 'SHOW_ENV=1 echoargs; echo "agent sees: [$SECRET_X] [$SG_TEST_CREDENTIAL]"');
    expect(r.stdout).toContain(`SECRET_X=${CREDENTIAL}\n`);
    expect(r.stdout).toContain('agent sees: [] []');
    expect(r.auditText).not.toContain(CREDENTIAL);
  });

  it('a missing credential source stops the session from starting, naming the command', () => {
    const r = fx.agent(profile, 'true', { env: { SG_TEST_CREDENTIAL: '' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('mediation.commands "echoargs": credentials.SECRET_X');
  });
});

describe('caller policies', () => {
  it('agent_allowed false refuses the agent, while the allowed parent gets through (nested call)', () => {
    const direct = fx.agent(profile, 'inner x');
    expect(direct.status).toBe(126);
    expect(direct.stderr).toContain('shimgate: inner: denied:');
    const nested = fx.agent(profile, 'outer y');
    expect(nested.stdout).toBe('inner ran: y\nouter got 0\n');
    expect(nested.events.find((e) => e.command === 'inner')).toMatchObject({ parent: 'outer', action_type: 'passthrough' });
  });

  it('allowed_parents [] lets only the agent call', () => {
    expect(fx.agent(profile, 'agent-only z').stdout).toBe('inner ran: z\n');
    const r = fx.agent(profile, 'outer-of-agent-only z');
    expect(r.stderr).toContain('shimgate: agent-only: denied:');
  });

  it('allowed_parents null lets any parent call', () => {
    expect(fx.agent(profile, 'outer-of-any q').stdout).toBe('inner ran: q\n');
  });

  it('a live command\'s context, copied by the agent, does not make the agent that parent', () => {
    const r = fx.agent(profile, [
      'rm -f leaked-context release; context-leaker & until [ -s leaked-context ]; do sleep 0.05; done',
      'SHIMGATE_SANDBOX_CONTEXT=$(cat leaked-context) inner stolen; echo "rc=$?"; touch release; wait',
    ].join('; '));
    expect(r.stdout).toBe('rc=126\n');
    expect(r.stderr).toContain('shimgate: inner: denied:');
    expect(r.events.find((e) => e.command === 'inner')).toMatchObject({ parent: null, action_type: 'denied' });
  });

  it('a parent not in the list is refused', () => {
    const r = fx.agent(profile, 'stranger w');
    expect(r.stderr).toContain('shimgate: inner: denied:');
    expect(r.events.find((e) => e.command === 'inner')).toMatchObject({ parent: 'stranger', action_type: 'denied', exit_code: 126 });
  });

  it('allow_commands runs the parent\'s child directly, without its shim', () => {
    const r = fx.agent(profile, 'allowing-parent v');
    expect(r.stdout).toBe('inner ran: v\n');
    expect(r.events.map((e) => e.command)).toEqual(['allowing-parent']);
  });
});

describe('flag tricks do not slip past an intercept', () => {
  it.each([
    ['git -c x=y push'],
    ['git --no-pager push'],
    ['git push -- origin'],
    ['git --git-dir=/x --work-tree /y push --force origin'],
  ])('%s is denied', (call) => {
    const r = fx.agent(profile, call);
    expect(r.status).toBe(126);
    expect(r.stderr).toContain('denied: no pushing');
  });

  it.each([['gh -R o/r pr merge 7'], ['gh pr --repo o/r merge'], ['gh pr -R o/r merge --squash 7']])('%s needs an admin', (call) => {
    const r = fx.agent(profile, call);
    expect(r.status).toBe(126);
    expect(r.stderr).toContain('approval timed out');
  });

  it('kubectl --context prod delete pod x needs an admin', () => {
    expect(fx.agent(profile, 'kubectl --context prod delete pod x').status).toBe(126);
  });

  it('gh pr list is not caught by the pr merge rule', () => {
    expect(fx.agent(profile, 'gh pr list').stdout).toBe('pr\nlist\n');
  });
});

describe('the session audit file', () => {
  it('verifies, and a flipped byte fails verification at that line', () => {
    const r = fx.agent(profile, 'echoargs one; hello status; git push; echoargs two');
    expect(r.events.length).toBe(4);
    const file = join(fx.root, 'audit-copy.jsonl');
    writeFileSync(file, r.auditText);
    expect(shimgate(['audit', 'verify', file]).status).toBe(0);
    const lines = r.auditText.split('\n');
    lines[2] = lines[2]!.replace('"git"', '"gih"');
    writeFileSync(file, lines.join('\n'));
    const broken = shimgate(['audit', 'verify', file]);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain('broken at line 3');
  });
});
