import { describe, expect, it } from '@jest/globals';
import type { SessionRecord } from '../session/session-files.js';
import {
  approvalsTable,
  closedLine,
  decidedElsewhereLine,
  decisionLine,
  formatTable,
  localTime,
  pendingDetails,
  sessionsTable,
  timeLeft,
} from './admin-format.js';
import type { PendingApproval } from './control-protocol.js';

const NOW = Date.parse('2030-01-01T10:00:00.000Z');
const at = (ms: number): string => new Date(NOW + ms).toISOString();

function pending(fields: Partial<PendingApproval> = {}): PendingApproval {
  return {
    id: 'k3x9q2', session_id: 'aaaa11112222', session_name: 'claude', command: 'gh', args: ['pr', 'merge', '7'], cwd: '/repo',
    parent: null, rule: 'gh pr merge', requested_at: at(0), expires_at: at(252_000), ...fields,
  };
}

describe('timeLeft', () => {
  it.each([
    [252_000, '4m12s'],
    [60_000, '1m00s'],
    [59_000, '59s'],
    [1, '1s'], // rounded up: a request still open never shows 0s
    [0, 'expired'],
    [-5_000, 'expired'],
    [3_723_000, '1h02m03s'],
  ])('%d ms before the deadline reads %s', (ms, text) => {
    expect(timeLeft(at(ms), NOW)).toBe(text);
  });

  it('says "?" for a deadline that is not a time', () => {
    expect(timeLeft('soon', NOW)).toBe('?');
  });
});

describe('localTime', () => {
  it('prints the local date and time to the second', () => {
    expect(localTime(new Date(2030, 0, 2, 3, 4, 5).toISOString())).toBe('2030-01-02 03:04:05');
  });

  it('prints an unparsable value as it is, control characters made visible', () => {
    expect(localTime('yesterday\x1b[2J')).toBe('yesterday\\x1b[2J');
  });
});

describe('formatTable', () => {
  it('pads every column but the last to its widest cell, with no trailing spaces', () => {
    expect(formatTable(['A', 'BB', 'C'], [['long', 'x', ''], ['y', 'zzz', 'tail']])).toEqual(['A     BB   C', 'long  x', 'y     zzz  tail']);
  });
});

describe('sessionsTable', () => {
  const record = (fields: Partial<SessionRecord>): SessionRecord => ({
    id: 'aaaa11112222', name: 'claude', profile: 'github', workdir: '/w', supervisor_pid: 1, sandboxed_pid: null,
    started_at: new Date(2030, 0, 1, 10, 0, 0).toISOString(), control_socket: '/s', status: 'running', unconfined: false,
    agent_command: ['claude', '--print', 'two words'], audit_file: '/a', ...fields,
  });

  it('shows "?" for no answer, UNCONFINED, and the agent command as a shell would read it', () => {
    expect(sessionsTable([
      { record: record({}), pending: 0 },
      { record: record({ id: 'bbbb', name: 'evil\x1b]0;x\x07', unconfined: true, agent_command: [] }), pending: null },
    ])).toEqual([
      'ID            NAME              PROFILE  STARTED              PENDING  SANDBOX     COMMAND',
      "aaaa11112222  claude            github   2030-01-01 10:00:00  0        confined    claude --print 'two words'",
      'bbbb          evil\\x1b]0;x\\x07  github   2030-01-01 10:00:00  ?        UNCONFINED  -',
    ]);
  });
});

describe('approvalsTable', () => {
  it('shows time left, "(agent)" for no parent, "-" for no rule', () => {
    const rows = approvalsTable([pending(), pending({ id: 'p7m2x4', parent: 'make', rule: null, command: 'kubectl', args: ['delete', 'ns', 'prod'], expires_at: at(30_000) })], NOW);
    expect(rows).toEqual([
      'ID      SESSION       NAME    LEFT   PARENT   RULE         COMMAND',
      'k3x9q2  aaaa11112222  claude  4m12s  (agent)  gh pr merge  gh pr merge 7',
      'p7m2x4  aaaa11112222  claude  30s    make     -            kubectl delete ns prod',
    ]);
  });

  it('quotes arguments, and shows control characters the agent put in them instead of sending them', () => {
    const [, row] = approvalsTable([pending({ args: ['pr', 'merge', '7; rm -rf /', '\x1b[2J'] })], NOW);
    expect(row).toMatch(/ gh pr merge '7; rm -rf \/' \$'\\x1b\[2J'$/);
  });
});

describe('request lines', () => {
  it('details: heading, then command, cwd, parent and rule', () => {
    expect(pendingDetails(pending({ parent: 'make' }))).toEqual([
      'approval k3x9q2 requested by session aaaa11112222 (claude)',
      '  command  gh pr merge 7',
      '  cwd      /repo',
      '  parent   make',
      '  rule     gh pr merge',
    ]);
  });

  it.each([
    ['approve', 'once', 'approved k3x9q2 (gh pr merge 7)'],
    ['approve', 'session', 'approved k3x9q2 (gh pr merge 7) for the rest of the session'],
    ['deny', 'once', 'denied k3x9q2 (gh pr merge 7)'],
    ['deny', 'session', 'denied k3x9q2 (gh pr merge 7)'], // a denial has no scope
  ] as const)('%s/%s: %s', (decision, scope, line) => {
    expect(decisionLine('k3x9q2', decision, scope, 'gh pr merge 7')).toBe(line);
  });

  it('names who decided elsewhere, and why', () => {
    const d = { decision: 'deny', scope: 'once', reason: 'not today', approver: { uid: 1001, user: 'alice' } } as const;
    expect(decidedElsewhereLine('k3x9q2', 'gh pr merge 7', d)).toBe('denied k3x9q2 (gh pr merge 7) by alice (uid 1001): not today');
    expect(decidedElsewhereLine('k3x9q2', null, { ...d, decision: 'approve', reason: null, approver: null })).toBe(
      'approved k3x9q2 (not shown here) by an admin',
    );
  });

  it('says how a request closed without a decision', () => {
    expect(closedLine('k3x9q2', 'gh pr merge 7', 'expired')).toBe('k3x9q2 (gh pr merge 7) expired: no admin answered in time, the call was denied');
    expect(closedLine('k3x9q2', null, 'withdrawn')).toBe('k3x9q2 withdrawn: the caller gave up');
  });
});
