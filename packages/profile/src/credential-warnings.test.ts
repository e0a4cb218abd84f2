import { describe, expect, it } from '@jest/globals';
import { credentialWarnings } from './credential-warnings.js';
import { normalizeProfile } from './normalize.js';
import type { MediatedCommand } from './types.js';

const warn = (...commands: MediatedCommand[]): string[] => credentialWarnings(normalizeProfile({ mediation: { commands } }));
const TOKEN = { TOKEN: { env: 'T' } };

describe('credentialWarnings', () => {
  it('is silent for a plain tool with credentials, and for an interpreter without', () => {
    expect(warn({ name: 'gh', credentials: TOKEN }, { name: 'python3' })).toEqual([]);
  });

  it.each(['sh', 'bash', 'python3', 'python3.11', 'node', 'env', 'npm', 'make', 'perl'])('warns when credentials go to %s', (name) => {
    expect(warn({ name, credentials: TOKEN })).toEqual([expect.stringContaining(`go to ${name}, which runs whatever code the agent gives it`)]);
  });

  it('looks at the binary too: a tool named "deploy" that is bash', () => {
    expect(warn({ name: 'deploy', binary_path: '/bin/bash', credentials: TOKEN })[0]).toContain('go to bash');
  });

  it.each(['/bin/sh', '/usr/bin/python3', '/usr/bin', '/usr/local/bin/'])('warns when sandbox.exec lists %s for a command with credentials', (entry) => {
    expect(warn({ name: 'git', credentials: TOKEN, sandbox: { exec: [entry] } })).toEqual([expect.stringContaining(`sandbox.exec lists ${entry}, which lets the command run a shell or an interpreter`)]);
  });

  it('is silent about a narrow sandbox.exec, and about a wide one without credentials', () => {
    expect(warn({ name: 'git', credentials: TOKEN, sandbox: { exec: ['/usr/lib/git-core', '/usr/bin/ssh'] } })).toEqual([]);
    expect(warn({ name: 'git', sandbox: { exec: ['/bin/sh'] } })).toEqual([]);
  });

  it('warns when a credential file lies inside the command\'s readable paths', () => {
    const w = warn({ name: 'git', credentials: { T: { file: '/home/u/.config/tok' } }, sandbox: { fs_read: ['/home/u/.config/'] } });
    expect(w).toEqual(['mediation.commands "git": credentials.T file /home/u/.config/tok lies inside the command\'s own readable paths (sandbox.fs_*): the agent can read it through the command']);
    expect(warn({ name: 'git', credentials: { T: { file: '/home/u/.config-x/tok' } }, sandbox: { fs_read: ['/home/u/.config'] } })).toEqual([]);
    expect(warn({ name: 'git', credentials: { T: { file: '/s/tok' } }, sandbox: { fs_read_file: ['/s/tok'] } })).toHaveLength(1);
  });
});
