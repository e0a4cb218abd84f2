import { describe, expect, it } from '@jest/globals';
import { validateProfileValue } from './schema-validate.js';
import { DESIGN_EXAMPLE } from './testing/design-example.js';

// DESIGN §2's example, as JSON.
const FULL_EXAMPLE = { $schema: 'https://shimgate.dev/schemas/profile.schema.json', ...DESIGN_EXAMPLE };

type Pair = [pointer: string, message: string];

function issues(value: unknown): Pair[] {
  return validateProfileValue(value, 'p.json').map((i) => {
    expect(i.file).toBe('p.json');
    return [i.pointer, i.message];
  });
}

/** A profile with one command `gh` carrying `extra`. */
function withCommand(extra: Record<string, unknown>): unknown {
  return { mediation: { commands: [{ name: 'gh', ...extra }] } };
}

function withAction(action: unknown): unknown {
  return withCommand({ intercept: [{ action }] });
}

const RULE = '/mediation/commands/0/intercept/0';

describe('validateProfileValue: valid profiles', () => {
  it('accepts the full DESIGN §2 example, every section in it', () => {
    expect(issues(FULL_EXAMPLE)).toEqual([]);
  });

  it('accepts an empty profile and the smallest command', () => {
    expect(issues({})).toEqual([]);
    expect(issues(withCommand({}))).toEqual([]);
  });

  it('accepts extends as a string, an array and an empty array', () => {
    expect(issues({ extends: 'default' })).toEqual([]);
    expect(issues({ extends: ['default', './base.yaml', '../shared/x.json'] })).toEqual([]);
    expect(issues({ extends: [] })).toEqual([]);
  });

  it.each([
    { type: 'passthrough' },
    { type: 'respond' },
    { type: 'respond', stdout: 'out', stderr: 'err', exit_code: 255 },
    { type: 'capture' },
    { type: 'capture', script: 'gh auth token' },
    { type: 'approve' },
    { type: 'approve', script: 'echo ok' },
    { type: 'deny' },
    { type: 'deny', message: 'no', exit_code: 126 },
  ])('accepts the action %j', (action) => {
    expect(issues(withAction(action))).toEqual([]);
  });

  it('accepts a rule with an empty or absent args_prefix (it matches every call)', () => {
    const rules = [{ args_prefix: [], action: { type: 'deny' } }, { args_must_include: ['--force'], action: { type: 'deny' } }];
    expect(issues(withCommand({ intercept: rules }))).toEqual([]);
  });

  it('accepts each credential source', () => {
    const credentials = { A: { file: '/run/secret' }, B: { env: 'SUPERVISOR_TOKEN' }, c_2: { command: ['pass', 'show', 'gh'] } };
    expect(issues(withCommand({ credentials }))).toEqual([]);
  });

  it('accepts allowed_parents null and []', () => {
    expect(issues(withCommand({ caller_policy: { allowed_parents: null } }))).toEqual([]);
    expect(issues(withCommand({ caller_policy: { allowed_parents: [] } }))).toEqual([]);
    expect(issues(withCommand({ caller_policy: { agent_allowed: false, allowed_parents: ['git'] } }))).toEqual([]);
  });

  it('accepts paths that start with /, ~ or a $VARIABLE', () => {
    const filesystem = { read: ['/', '~', '~/x', '$HOME/x', '${XDG_CONFIG_HOME}/y', '$WORKDIR'] };
    expect(issues({ filesystem })).toEqual([]);
  });
});

describe('validateProfileValue: unknown keys', () => {
  it.each<[unknown, Pair]>([
    [{ filesytem: {} }, ['/filesytem', '"filesytem" is not a known key — did you mean "filesystem"?']],
    [{ meta: { nme: 'x' } }, ['/meta/nme', '"nme" is not a known key — did you mean "name"?']],
    [{ mediation: { comands: [] } }, ['/mediation/comands', '"comands" is not a known key — did you mean "commands"?']],
    [withCommand({ sandbox: { fs_raed: [] } }), ['/mediation/commands/0/sandbox/fs_raed', '"fs_raed" is not a known key — did you mean "fs_read"?']],
    [
      withCommand({ caller_policy: { agent_alowed: true } }),
      ['/mediation/commands/0/caller_policy/agent_alowed', '"agent_alowed" is not a known key — did you mean "agent_allowed"?'],
    ],
    [withAction({ type: 'deny', mesage: 'x' }), [`${RULE}/action/mesage`, '"mesage" is not a key of a "deny" action — did you mean "message"?']],
    [withCommand({ intercept: [{ action: { type: 'deny' }, admn: true }] }), [`${RULE}/admn`, '"admn" is not a known key — did you mean "admin"?']],
  ])('%j', (value, expected) => {
    expect(issues(value)).toEqual([expected]);
  });

  it('lists the allowed keys when nothing is close', () => {
    expect(issues(withCommand({ path: '/usr/bin/gh' }))).toEqual([
      [
        '/mediation/commands/0/path',
        '"path" is not a known key; the keys allowed here are "name", "binary_path", "flags_with_values", "tool", "intercept", "sandbox", "credentials", "caller_policy"',
      ],
    ]);
  });

  it('escapes "/" and "~" in the pointer of an unknown key', () => {
    expect(issues({ 'a/b~c': 1 })[0]?.[0]).toBe('/a~1b~0c');
  });
});

describe('validateProfileValue: actions', () => {
  it.each<[Record<string, unknown>, string]>([
    [{ type: 'passthrough', stdout: 'x' }, '"stdout" is not a key of a "passthrough" action; its keys are "type"'],
    [{ type: 'respond', script: 'x' }, '"script" is not a key of a "respond" action; its keys are "type", "stdout", "stderr", "exit_code"'],
    [{ type: 'capture', message: 'x' }, '"message" is not a key of a "capture" action; its keys are "type", "script"'],
    [{ type: 'approve', exit_code: 1 }, '"exit_code" is not a key of an "approve" action; its keys are "type", "script"'],
    [{ type: 'deny', stdout: 'x' }, '"stdout" is not a key of a "deny" action; its keys are "type", "message", "exit_code"'],
  ])('%j: only the misplaced key is reported', (action, message) => {
    const key = Object.keys(action)[1]!;
    expect(issues(withAction(action))).toEqual([[`${RULE}/action/${key}`, message]]);
  });

  it('names the allowed types for an unknown type, with a hint', () => {
    expect(issues(withAction({ type: 'respnd' }))).toEqual([
      [`${RULE}/action/type`, 'must be one of "passthrough", "respond", "capture", "approve", "deny", got "respnd" — did you mean "respond"?'],
    ]);
  });

  it('with an unknown type, still checks the other keys once each', () => {
    expect(issues(withAction({ type: 'nope', stdout: 'fine', stdot: 'x', exit_code: 'one' }))).toEqual([
      [`${RULE}/action/type`, 'must be one of "passthrough", "respond", "capture", "approve", "deny", got "nope"'],
      [`${RULE}/action/stdot`, '"stdot" is not a known key — did you mean "stdout"?'],
      [`${RULE}/action/exit_code`, 'must be an integer, got a string ("one")'],
    ]);
  });

  it('requires an action and its type', () => {
    expect(issues(withCommand({ intercept: [{ args_prefix: ['x'] }] }))).toEqual([[RULE, 'missing required key "action"']]);
    expect(issues(withAction({ message: 'x' }))).toEqual([[`${RULE}/action`, 'missing required key "type"']]);
  });

  it.each([256, -1, 1.5])('refuses exit_code %j', (exit_code) => {
    const message = exit_code === 1.5 ? 'must be an integer, got a number (1.5)' : `must be an integer from 0 to 255, got ${exit_code}`;
    expect(issues(withAction({ type: 'respond', exit_code }))).toEqual([[`${RULE}/action/exit_code`, message]]);
    expect(issues(withAction({ type: 'deny', exit_code }))).toEqual([[`${RULE}/action/exit_code`, message]]);
  });
});

describe('validateProfileValue: values', () => {
  it.each<[unknown, Pair]>([
    [{ workdir: { access: 'rw' } }, ['/workdir/access', 'must be one of "none", "read", "readwrite", got "rw"']],
    [{ workdir: { access: 'raed' } }, ['/workdir/access', 'must be one of "none", "read", "readwrite", got "raed" — did you mean "read"?']],
    [{ network: { block: 'yes' } }, ['/network/block', 'must be true or false, got a string ("yes")']],
    [{ mediation: { commands: {} } }, ['/mediation/commands', 'must be an array, got an object']],
    [{ mediation: { approval: { timeout_secs: 0 } } }, ['/mediation/approval/timeout_secs', 'must be at least 1, got 0']],
    [{ mediation: { approval: { timeout_secs: '300' } } }, ['/mediation/approval/timeout_secs', 'must be an integer, got a string ("300")']],
    [{ extends: 3 }, ['/extends', 'must be a string or an array, got a number (3)']],
    [{ extends: '' }, ['/extends', 'must not be empty']],
    [{ extends: ['a', ''] }, ['/extends/1', 'must not be empty']],
    [{ meta: { name: ['x'] } }, ['/meta/name', 'must be a string, got an array']],
    [[], ['', 'must be an object, got an empty array']],
    [null, ['', 'must be an object, got null']],
    [
      { filesystem: { deny: ['.ssh'] } },
      ['/filesystem/deny/0', 'must be an absolute path, or one starting with ~ or a $VARIABLE (expanded at session start), got ".ssh"'],
    ],
    [{ network: { allow_domain: ['https://api.github.com/'] } }, ['/network/allow_domain/0', 'must be a host name such as api.github.com (not a URL), got "https://api.github.com/"']],
    [
      { mediation: { env: { block: ['GH_TOKEN', 'AWS_*', 'GH-TOKEN'] } } },
      ['/mediation/env/block/2', 'must be an environment variable name such as GH_TOKEN, or a prefix ending in * such as AWS_*, got "GH-TOKEN"'],
    ],
    [{ mediation: { env: { block: ['*'] } } }, ['/mediation/env/block/0', 'must be an environment variable name such as GH_TOKEN, or a prefix ending in * such as AWS_*, got "*"']],
    [withCommand({ flags_with_values: ['R'] }), ['/mediation/commands/0/flags_with_values/0', `must be a flag, starting with '-', got "R"`]],
    [withCommand({ tool: 'hg' }), ['/mediation/commands/0/tool', 'must be one of "git", "gh", "kubectl", "npm", "tar", "curl", null, got "hg" — did you mean "gh"?']],
    [withCommand({ caller_policy: { allowed_parents: 'x' } }), ['/mediation/commands/0/caller_policy/allowed_parents', 'must be an array or null, got a string ("x")']],
  ])('%j', (value, expected) => {
    expect(issues(value)).toEqual([expected]);
  });

  it.each(['/usr/bin/gh', 'bin/gh', '', '.', '..', 'g h'])('refuses the command name %j', (name) => {
    expect(issues({ mediation: { commands: [{ name }] } })).toEqual([
      ['/mediation/commands/0/name', `must be a plain command name such as gh (letters, digits, '.', '_', '+', '-'; no slash), got ${JSON.stringify(name)}`],
    ]);
  });

  it.each(['gh', 'git-lfs', 'python3.12', 'g++', '.hidden', '_x'])('accepts the command name %j', (name) => {
    expect(issues({ mediation: { commands: [{ name }], audit: { commands: [name] } } })).toEqual([]);
  });

  it('requires a command name', () => {
    expect(issues({ mediation: { commands: [{ binary_path: '/usr/bin/gh' }] } })).toEqual([
      ['/mediation/commands/0', 'missing required key "name"'],
    ]);
  });

  it('refuses a command named twice in one file', () => {
    expect(issues({ mediation: { commands: [{ name: 'gh' }, { name: 'git' }, { name: 'gh' }] } })).toEqual([
      ['/mediation/commands/2/name', '"gh" is already defined at /mediation/commands/0; name each command once'],
    ]);
  });
});

describe('validateProfileValue: credentials', () => {
  const at = '/mediation/commands/0/credentials';
  it.each<[unknown, Pair]>([
    [{ T: { file: '/a', env: 'B' } }, [`${at}/T`, 'must have exactly one of "file", "env", "command", got "file", "env"']],
    [{ T: {} }, [`${at}/T`, 'must have exactly one of "file", "env", "command", got none']],
    [{ T: { command: [] } }, [`${at}/T/command`, 'must not be empty']],
    [{ T: { command: 'pass show gh' } }, [`${at}/T/command`, 'must be an array, got a string ("pass show gh")']],
    [{ T: { file: 'secrets/gh' } }, [`${at}/T/file`, 'must be an absolute path, or one starting with ~ or a $VARIABLE (expanded at session start), got "secrets/gh"']],
    [{ T: { fil: '/x' } }, [`${at}/T/fil`, '"fil" is not a known key — did you mean "file"?']],
    [{ 'gh-token': { env: 'X' } }, [`${at}/gh-token`, 'the key must be an environment variable name such as GH_TOKEN, got "gh-token"']],
    [{ T: '/x' }, [`${at}/T`, 'must be an object, got a string ("/x")']],
  ])('%j', (credentials, expected) => {
    expect(issues(withCommand({ credentials }))).toEqual([expected]);
  });
});

describe('validateProfileValue: several problems', () => {
  it('reports every problem, in the order they appear in the file', () => {
    // The schema lists meta before workdir; the file has them the other way round.
    const value = { workdir: { access: 'rw' }, meta: { nme: 'x' }, network: { block: 1 } };
    expect(issues(value)).toEqual([
      ['/workdir/access', 'must be one of "none", "read", "readwrite", got "rw"'],
      ['/meta/nme', '"nme" is not a known key — did you mean "name"?'],
      ['/network/block', 'must be true or false, got a number (1)'],
    ]);
  });

  it('reports problems in two commands and two rules of one file', () => {
    const value = {
      mediation: {
        commands: [
          { name: 'gh', intercept: [{ action: { type: 'deny' } }, { action: { type: 'respond', script: 'x' } }] },
          { name: 'git', caller_policy: { agent_alowed: false } },
        ],
      },
    };
    expect(issues(value)).toEqual([
      ['/mediation/commands/0/intercept/1/action/script', '"script" is not a key of a "respond" action; its keys are "type", "stdout", "stderr", "exit_code"'],
      ['/mediation/commands/1/caller_policy/agent_alowed', '"agent_alowed" is not a known key — did you mean "agent_allowed"?'],
    ]);
  });
});
