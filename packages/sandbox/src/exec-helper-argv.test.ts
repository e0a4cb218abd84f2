import { describe, expect, it } from '@jest/globals';
import type { ResolvedCommand } from '@shimgate/profile';
import { EXEC_HELPER_NAME, execHelperArgv } from './exec-helper-argv.js';
import type { ExecHelperInput } from './exec-helper-argv.js';

type Sandbox = ResolvedCommand['sandbox'];

const SANDBOX: Sandbox = {
  fs_read: [], fs_read_file: [], fs_write: [], fs_write_file: [], exec: [],
  network: { block: false, allowed_hosts: [] },
  allow_commands: [],
  landlock: 'required',
  env_pass: [],
};

function input(over: Partial<ExecHelperInput> = {}, sandbox: Partial<Sandbox> = {}): ExecHelperInput {
  return {
    sandbox: { ...SANDBOX, ...sandbox },
    workdir: '/w',
    workdirAccess: 'none',
    executeDirs: [],
    agentNetworkBlocked: false,
    binary: '/usr/bin/gh',
    argv0: 'gh',
    args: ['pr', 'list'],
    ...over,
  };
}

const TAIL = ['--', '/usr/bin/gh', 'gh', 'pr', 'list'];

describe('execHelperArgv', () => {
  it('names the helper', () => {
    expect(EXEC_HELPER_NAME).toBe('shimgate-sandbox-exec');
  });

  const cases: [string, ExecHelperInput, (string | Buffer)[]][] = [
    ['an empty sandbox: nothing but the command', input(), []],
    ['workdir access "read" -> --ro workdir', input({ workdirAccess: 'read' }), ['--ro', '/w']],
    ['workdir access "readwrite" -> --rw workdir', input({ workdirAccess: 'readwrite' }), ['--rw', '/w']],
    ['workdir access "none" -> no workdir grant', input({ workdirAccess: 'none', workdir: '/secret' }), []],
    ['executeDirs -> one --rx each', input({ executeDirs: ['/s/shims', '/s/agent'] }),
      ['--rx', '/s/shims', '--rx', '/s/agent']],
    ['fs_read -> --ro', input({}, { fs_read: ['/a', '/b'] }), ['--ro', '/a', '--ro', '/b']],
    ['fs_read_file -> --ro-file', input({}, { fs_read_file: ['/h/.gitconfig'] }), ['--ro-file', '/h/.gitconfig']],
    ['fs_write -> --rw', input({}, { fs_write: ['/tmp/x'] }), ['--rw', '/tmp/x']],
    ['fs_write_file -> --rw-file', input({}, { fs_write_file: ['/h/.hist'] }), ['--rw-file', '/h/.hist']],
    ['network.block -> --block-net', input({}, { network: { block: true, allowed_hosts: [] } }), ['--block-net']],
    ['the agent\'s network.block is inherited by a command without its own -> --block-net',
      input({ agentNetworkBlocked: true }), ['--block-net']],
    ['both blocked -> --block-net once', input({ agentNetworkBlocked: true }, { network: { block: true, allowed_hosts: [] } }), ['--block-net']],
    ['sandbox.exec -> one --rx each (files or dirs)', input({}, { exec: ['/bin/sh', '/usr/lib/git-core'] }),
      ['--rx', '/bin/sh', '--rx', '/usr/lib/git-core']],
    ['allowed_hosts alone adds nothing (not expressible here)',
      input({}, { network: { block: false, allowed_hosts: ['api.github.com'] } }), []],
    ['landlock "optional" -> --landlock-optional', input({}, { landlock: 'optional' }), ['--landlock-optional']],
    ['landlock "required" -> no flag (the helper refuses without Landlock)', input({}, { landlock: 'required' }), []],
    ['allow_commands is the server\'s decision, not a helper flag', input({}, { allow_commands: ['git'] }), []],
    ['everything, in a fixed order',
      input({ workdirAccess: 'readwrite', executeDirs: ['/s/shims'] }, {
        fs_read: ['/r'], fs_read_file: ['/rf'], fs_write: ['/w2'], fs_write_file: ['/wf'], exec: ['/bin/sh'],
        network: { block: true, allowed_hosts: [] }, landlock: 'optional',
      }),
      ['--rw', '/w', '--rx', '/s/shims', '--rx', '/bin/sh', '--ro', '/r', '--ro-file', '/rf', '--rw', '/w2', '--rw-file', '/wf',
        '--block-net', '--landlock-optional']],
  ];

  it.each(cases)('%s', (_name, given, options) => {
    expect(execHelperArgv(given)).toStrictEqual([EXEC_HELPER_NAME, ...options, ...TAIL]);
  });

  it('passes the command argv through untouched after --, Buffers and option look-alikes included', () => {
    const raw = Buffer.from([0x66, 0xff, 0x6f]);
    const argv = execHelperArgv(input({ binary: '/bin/x', argv0: '--ro', args: ['--block-net', raw, '--', ''] }));
    expect(argv).toStrictEqual([EXEC_HELPER_NAME, '--', '/bin/x', '--ro', '--block-net', raw, '--', '']);
    expect(argv[5]).toBe(raw);
  });

  it('keeps a path that looks like an option as the value of its flag', () => {
    expect(execHelperArgv(input({}, { fs_read: ['--block-net'] }))).toStrictEqual(
      [EXEC_HELPER_NAME, '--ro', '--block-net', ...TAIL]);
  });

  it('does not mutate its input', () => {
    const given = input({ executeDirs: Object.freeze(['/s']) }, { fs_read: ['/r'] });
    const copy = structuredClone(given);
    execHelperArgv(given);
    expect(given).toStrictEqual(copy);
  });
});
