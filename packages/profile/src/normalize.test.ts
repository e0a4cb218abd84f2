import { describe, expect, it } from '@jest/globals';
import { normalizeProfile } from './normalize.js';
import { DEFAULT_APPROVAL_TIMEOUT_SECS, type MediatedCommand, type ProfileDocument, type ResolvedProfile } from './types.js';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const EMPTY: ResolvedProfile = {
  meta: { name: '', description: '' },
  workdir: { access: 'readwrite' },
  filesystem: { read: [], write: [], read_file: [], write_file: [], deny: [] },
  network: { block: false, allow_domain: [] },
  mediation: { commands: [], env: { block: [] }, audit: { commands: [] }, approval: { timeout_secs: 300 } },
};

describe('normalizeProfile', () => {
  it('fills every top-level default for an empty document', () => {
    expect(normalizeProfile({})).toStrictEqual(EMPTY);
    expect(DEFAULT_APPROVAL_TIMEOUT_SECS).toBe(300);
  });

  it('fills every command default', () => {
    const out = normalizeProfile({ mediation: { commands: [{ name: 'gh', intercept: [{ action: { type: 'passthrough' } }] }] } });
    expect(out.mediation.commands).toEqual([{
      name: 'gh',
      binary_path: null,
      flags_with_values: [],
      tool: 'gh',
      intercept: [{ args_prefix: [], args_must_include: [], admin: false, action: { type: 'passthrough' } }],
      sandbox: {
        fs_read: [], fs_read_file: [], fs_write: [], fs_write_file: [], exec: [],
        network: { block: false, allowed_hosts: [] },
        allow_commands: [],
        landlock: 'required',
        env_pass: [],
      },
      credentials: {},
      caller_policy: { agent_allowed: true, allowed_parents: null },
    }]);
  });

  it.each<[string, ProfileDocument['mediation'], unknown]>([
    ['allowed_parents null stays null', { commands: [{ name: 'g', caller_policy: { allowed_parents: null } }] }, null],
    ['allowed_parents [] stays [] (no parent may call)', { commands: [{ name: 'g', caller_policy: { allowed_parents: [] } }] }, []],
    ['allowed_parents list is kept', { commands: [{ name: 'g', caller_policy: { allowed_parents: ['make'] } }] }, ['make']],
  ])('%s', (_, mediation, expected) => {
    expect(normalizeProfile({ mediation }).mediation.commands[0]?.caller_policy.allowed_parents).toEqual(expected);
  });

  it('keeps values the document sets', () => {
    const doc: ProfileDocument = {
      meta: { name: 'github' },
      workdir: { access: 'none' },
      filesystem: { deny: ['~/.ssh'] },
      network: { block: true },
      mediation: {
        commands: [{
          name: 'gh',
          binary_path: '/usr/bin/gh',
          intercept: [{ args_prefix: ['pr'], args_must_include: ['--x'], admin: true, action: { type: 'deny', message: 'no', exit_code: 3 } }],
          sandbox: { network: { block: true } },
          credentials: { T: { command: ['pass', 'gh'] } },
          caller_policy: { agent_allowed: false },
        }],
        approval: { timeout_secs: 12 },
      },
    };
    const out = normalizeProfile(doc);
    expect(out.meta).toStrictEqual({ name: 'github', description: '' });
    expect(out.workdir.access).toBe('none');
    expect(out.filesystem.deny).toEqual(['~/.ssh']);
    expect(out.network).toStrictEqual({ block: true, allow_domain: [] });
    expect(out.mediation.approval.timeout_secs).toBe(12);
    const [gh] = out.mediation.commands;
    expect(gh?.binary_path).toBe('/usr/bin/gh');
    expect(gh?.intercept).toStrictEqual([
      { args_prefix: ['pr'], args_must_include: ['--x'], admin: true, action: { type: 'deny', message: 'no', exit_code: 3 } },
    ]);
    expect(gh?.sandbox.network).toStrictEqual({ block: true, allowed_hosts: [] });
    expect(gh?.credentials).toEqual({ T: { command: ['pass', 'gh'] } });
    expect(gh?.caller_policy).toStrictEqual({ agent_allowed: false, allowed_parents: null });
  });

  it('leaves optional action fields absent (their defaults belong to the action)', () => {
    const out = normalizeProfile({ mediation: { commands: [{ name: 'g', intercept: [{ action: { type: 'deny' } }] }] } });
    expect(out.mediation.commands[0]?.intercept[0]?.action).toStrictEqual({ type: 'deny' });
  });

  it('emits keys in the order ResolvedProfile declares, whatever the input order', () => {
    const scrambled = JSON.parse(`{
      "mediation": { "approval": { "timeout_secs": 5 }, "commands": [ {
        "caller_policy": { "allowed_parents": ["m"], "agent_allowed": false },
        "intercept": [ { "action": { "exit_code": 1, "stdout": "x", "type": "respond" }, "admin": true, "args_prefix": ["a"] } ],
        "sandbox": { "network": { "allowed_hosts": ["h"], "block": true }, "fs_read": ["/r"] },
        "name": "gh" } ] },
      "filesystem": { "deny": ["/d"], "read": ["/r"] },
      "meta": { "description": "d", "name": "n" }
    }`) as ProfileDocument;
    const json = JSON.stringify(normalizeProfile(scrambled));
    expect(json).toBe(JSON.stringify({
      meta: { name: 'n', description: 'd' },
      workdir: { access: 'readwrite' },
      filesystem: { read: ['/r'], write: [], read_file: [], write_file: [], deny: ['/d'] },
      network: { block: false, allow_domain: [] },
      mediation: {
        commands: [{
          name: 'gh',
          binary_path: null,
          flags_with_values: [], tool: 'gh',
          intercept: [{ args_prefix: ['a'], args_must_include: [], admin: true, action: { type: 'respond', stdout: 'x', exit_code: 1 } }],
          sandbox: {
            fs_read: ['/r'], fs_read_file: [], fs_write: [], fs_write_file: [], exec: [],
            network: { block: true, allowed_hosts: ['h'] }, allow_commands: [],
        landlock: 'required',
        env_pass: [],
          },
          credentials: {},
          caller_policy: { agent_allowed: false, allowed_parents: ['m'] },
        }],
        env: { block: [] },
        audit: { commands: [] },
        approval: { timeout_secs: 5 },
      },
    }));
  });

  it('does not mutate its (deep-frozen) input and shares no arrays with it', () => {
    const doc = deepFreeze<ProfileDocument>({
      filesystem: { read: ['/usr'] },
      mediation: { commands: [{ name: 'g', flags_with_values: ['-R'], caller_policy: { allowed_parents: ['m'] } }] },
    });
    const out = normalizeProfile(doc);
    expect(out.filesystem.read).not.toBe(doc.filesystem?.read);
    expect(out.mediation.commands[0]?.flags_with_values).not.toBe(doc.mediation?.commands?.[0]?.flags_with_values);
    expect(out.mediation.commands[0]?.caller_policy.allowed_parents).not.toBe(
      doc.mediation?.commands?.[0]?.caller_policy?.allowed_parents,
    );
  });
});

describe('normalizeProfile: tool', () => {
  const toolOf = (command: MediatedCommand): string | null => normalizeProfile({ mediation: { commands: [command] } }).mediation.commands[0]!.tool;
  it.each<[MediatedCommand, string | null]>([
    [{ name: 'git' }, 'git'], // absent: the spec named like the command
    [{ name: 'curl' }, 'curl'],
    [{ name: 'aws' }, null], // no spec of that name
    [{ name: 'git', tool: null }, null], // null: none, even for git
    [{ name: 'g', tool: 'git' }, 'git'], // another name, git's spec
    [{ name: 'constructor' }, null],
  ])('%j → %s', (command, expected) => {
    expect(toolOf(command)).toBe(expected);
  });
});
