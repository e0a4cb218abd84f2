// agentWritablePaths on a real temporary tree (it follows real paths, so it needs real files).
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeProfile } from '@shimgate/profile';
import { agentWritablePaths } from './agent-sandbox.js';

const W = mkdtempSync(join(tmpdir(), 'shimgate-writable-'));
afterAll(() => rmSync(W, { recursive: true, force: true }));
for (const d of ['work/sub', 'tools', 'install/node_modules', 'ro']) mkdirSync(join(W, d), { recursive: true });
writeFileSync(join(W, 'work/profile.json'), '{}');
writeFileSync(join(W, 'tools/node'), '');
writeFileSync(join(W, 'ro/x'), '');
symlinkSync(join(W, 'work/profile.json'), join(W, 'ro/link-to-profile.json'));

const writable = (fs: Record<string, string[]>, candidates: string[], access: 'none' | 'read' | 'readwrite' = 'readwrite'): string[] =>
  agentWritablePaths({ profile: normalizeProfile({ workdir: { access }, filesystem: fs }), workdir: join(W, 'work') }, candidates.map((c) => join(W, c)));

describe('agentWritablePaths', () => {
  it('finds a file inside the writable workdir, also through a symlink elsewhere', () => {
    expect(writable({ read: [join(W, 'ro')] }, ['work/profile.json', 'ro/link-to-profile.json', 'ro/x'])).toEqual([join(W, 'work/profile.json'), join(W, 'ro/link-to-profile.json')]);
  });

  it('finds a dir with a writable bind inside it (the checkout with the workdir in it)', () => {
    expect(writable({}, ['.', 'install'])).toEqual([W]); // join() normalised the candidate
  });

  it('finds a file in a filesystem.write dir; nothing when the workdir is read-only and nothing else is writable', () => {
    expect(writable({ write: [join(W, 'tools')] }, ['tools/node', 'install/node_modules'])).toEqual([join(W, 'tools/node')]);
    expect(writable({}, ['work/profile.json'], 'read')).toEqual([]);
  });

  it('never reports a candidate that does not exist', () => {
    expect(writable({}, ['work/nope'])).toEqual([]);
  });
});
