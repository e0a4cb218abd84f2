import { describe, expect, it } from '@jest/globals';
import { buildAgentEnv, isBlocked } from './agent-env.js';
import { sessionPaths } from './session-files.js';

const paths = sessionPaths('/run/shimgate', 'abc123');

describe('buildAgentEnv', () => {
  const env = buildAgentEnv({
    base: { PATH: '/usr/bin:/bin', HOME: '/home/a', GH_TOKEN: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWSOME: 'keep', SHIMGATE_SOCKET: '/evil' },
    paths,
    token: 'f'.repeat(64),
    mediated: ['gh', 'git'],
    audited: ['curl'],
    block: ['GH_TOKEN', 'AWS_*'],
  });

  it('puts the shim dir first on PATH', () => {
    expect(env.PATH).toBe('/run/shimgate/sessions/abc123/agent/shims:/usr/bin:/bin');
  });

  it('strips blocked names and prefixes, keeps the rest', () => {
    expect(env).not.toHaveProperty('GH_TOKEN');
    expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
    expect(env.AWSOME).toBe('keep');
    expect(env.HOME).toBe('/home/a');
  });

  it('sets every SHIMGATE_* variable itself, ignoring inherited ones', () => {
    expect(env).toMatchObject({
      SHIMGATE_SOCKET: '/run/shimgate/sessions/abc123/agent/mediation.sock',
      SHIMGATE_AUDIT_SOCKET: '/run/shimgate/sessions/abc123/agent/audit.sock',
      SHIMGATE_SESSION_TOKEN: 'f'.repeat(64),
      SHIMGATE_SHIM_DIR: '/run/shimgate/sessions/abc123/agent/shims',
      SHIMGATE_SHIM_SOURCES_DIR: '/run/shimgate/sessions/abc123/agent/shim-sources',
      SHIMGATE_MEDIATED: 'gh,git',
      SHIMGATE_AUDITED: 'curl',
      SHIMGATE_SESSION_ID: 'abc123',
    });
  });
});

describe('isBlocked', () => {
  it.each([
    ['GH_TOKEN', ['GH_TOKEN'], true],
    ['GH_TOKENS', ['GH_TOKEN'], false],
    ['AWS_PROFILE', ['AWS_*'], true],
    ['AWS', ['AWS_*'], false],
    ['ANYTHING', ['*'], true],
  ] as const)('%s against %j → %s', (name, block, expected) => {
    expect(isBlocked(name, block)).toBe(expected);
  });
});
