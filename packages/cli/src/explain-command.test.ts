import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shimgate } from './testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'shimgate-explain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const profile = join(dir, 'p.json');
writeFileSync(profile, JSON.stringify({
  mediation: { commands: [{ name: 'git', binary_path: '/bin/true', intercept: [{ args_prefix: ['push'], action: { type: 'deny', message: 'no' } }] }] },
}));

describe('shimgate explain', () => {
  it('prints the verdict for a flag-trick call without running anything', () => {
    const r = shimgate(['explain', '--profile', profile, '--', 'git', '-c', 'x=y', 'push']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('matched  rule git intercept[0] ["push"]');
    expect(r.stdout).toContain('verdict  DENY, exit 126: no');
  });

  it('prints the report as JSON with --json', () => {
    const r = shimgate(['explain', '--profile', profile, '--json', '--', 'git', 'status']);
    // The binary as the session would run it: its real path (on merged-/usr systems /bin/true is /usr/bin/true).
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'act', via: 'default', binary: realpathSync('/bin/true'), call: { command: 'git', args: ['status'] } });
  });

  it('warns when credentials go to a program that runs the agent\'s code, in text and JSON', () => {
    const risky = join(dir, 'risky.json');
    writeFileSync(risky, JSON.stringify({ mediation: { commands: [{ name: 'python3', binary_path: '/bin/true', credentials: { TOKEN: { env: 'HOME' } } }] } }));
    const r = shimgate(['explain', '--profile', risky, '--', 'python3', '-c', 'pass']);
    expect(r.stdout).toContain('WARNING  mediation.commands "python3": credentials (TOKEN) go to python3, which runs whatever code the agent gives it');
    const json = JSON.parse(shimgate(['explain', '--profile', risky, '--json', '--', 'python3']).stdout);
    expect(json.warnings).toHaveLength(1);
    expect(JSON.parse(shimgate(['explain', '--profile', profile, '--json', '--', 'git']).stdout).warnings).toEqual([]);
  });

  it('needs a call', () => {
    const r = shimgate(['explain', '--profile', profile]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('explain needs a call');
  });
});
