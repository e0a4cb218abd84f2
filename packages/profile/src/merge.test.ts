import { describe, expect, it } from '@jest/globals';
import { mergeProfiles } from './merge.js';
import type { CallerPolicy, InterceptRule, MediatedCommand, ProfileDocument } from './types.js';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Merges frozen copies, so any attempt to mutate an input throws. */
function merge(base: ProfileDocument, child: ProfileDocument): ProfileDocument {
  return mergeProfiles(deepFreeze(structuredClone(base)), deepFreeze(structuredClone(child)));
}

const cmds = (...commands: MediatedCommand[]): ProfileDocument => ({ mediation: { commands } });
const only = (doc: ProfileDocument): MediatedCommand => {
  const list = doc.mediation?.commands ?? [];
  expect(list).toHaveLength(1);
  return list[0]!;
};
const rule = (args_prefix: string[] | undefined, type: 'deny' | 'passthrough' | 'capture', tag = ''): InterceptRule =>
  args_prefix === undefined
    ? { action: type === 'deny' ? { type, message: tag } : { type } }
    : { args_prefix, action: type === 'deny' ? { type, message: tag } : { type } };

const OR_CASES: [boolean | undefined, boolean | undefined, boolean | undefined][] = [
  [true, false, true], [false, true, true], [false, false, false],
  [undefined, true, true], [true, undefined, true], [undefined, false, false], [undefined, undefined, undefined],
];

describe('mergeProfiles: top level', () => {
  it('drops extends and $schema', () => {
    const out = merge({ $schema: 's', extends: 'a', meta: { name: 'a' } }, { extends: ['b'], $schema: 't' });
    expect(out).toEqual({ meta: { name: 'a' } });
    expect(Object.keys(out)).toEqual(['meta']);
  });

  it('keeps sections absent on both sides absent (no invented empty objects)', () => {
    expect(merge({}, {})).toEqual({});
    const out = merge({ filesystem: { read: ['/usr'] } }, { network: { block: true } });
    expect(out).toStrictEqual({ filesystem: { read: ['/usr'] }, network: { block: true } });
    expect(Object.keys(out.filesystem!)).toEqual(['read']);
    expect(merge({ mediation: { env: { block: ['A'] } } }, {})).toStrictEqual({ mediation: { env: { block: ['A'] } } });
  });

  it.each<[string, ProfileDocument, ProfileDocument, ProfileDocument]>([
    ['meta.name child wins', { meta: { name: 'base' } }, { meta: { name: 'child' } }, { meta: { name: 'child' } }],
    ['meta.name kept when child is silent', { meta: { name: 'base', description: 'd' } }, { meta: { description: 'e' } },
      { meta: { name: 'base', description: 'e' } }],
    ['workdir.access child wins', { workdir: { access: 'readwrite' } }, { workdir: { access: 'none' } }, { workdir: { access: 'none' } }],
    ['workdir.access base kept', { workdir: { access: 'read' } }, { workdir: {} }, { workdir: { access: 'read' } }],
    ['approval.timeout_secs child wins', { mediation: { approval: { timeout_secs: 10 } } },
      { mediation: { approval: { timeout_secs: 60 } } }, { mediation: { approval: { timeout_secs: 60 } } }],
    ['approval.timeout_secs base kept', { mediation: { approval: { timeout_secs: 10 } } }, { mediation: {} },
      { mediation: { approval: { timeout_secs: 10 } } }],
  ])('scalars: %s', (_, base, child, expected) => {
    expect(merge(base, child)).toStrictEqual(expected);
  });

  it.each<[string, ProfileDocument, ProfileDocument, ProfileDocument]>([
    ['filesystem.*', { filesystem: { read: ['/usr', '/etc'], write: ['/tmp'], read_file: ['/a'], write_file: ['/w'], deny: ['~/.ssh'] } },
      { filesystem: { read: ['/etc', '/opt', '/opt'], write: ['$WORKDIR'], read_file: ['/a', '/b'], write_file: [], deny: ['~/.aws', '~/.ssh'] } },
      { filesystem: { read: ['/usr', '/etc', '/opt'], write: ['/tmp', '$WORKDIR'], read_file: ['/a', '/b'], write_file: ['/w'], deny: ['~/.ssh', '~/.aws'] } }],
    ['network.allow_domain', { network: { allow_domain: ['a.com', 'b.com'] } }, { network: { allow_domain: ['b.com', 'c.com'] } },
      { network: { allow_domain: ['a.com', 'b.com', 'c.com'] } }],
    ['mediation.env.block', { mediation: { env: { block: ['GH_TOKEN', 'AWS_KEY'] } } }, { mediation: { env: { block: ['GITHUB_TOKEN', 'GH_TOKEN'] } } },
      { mediation: { env: { block: ['GH_TOKEN', 'AWS_KEY', 'GITHUB_TOKEN'] } } }],
    ['mediation.audit.commands', { mediation: { audit: { commands: ['curl'] } } }, { mediation: { audit: { commands: ['wget', 'curl'] } } },
      { mediation: { audit: { commands: ['curl', 'wget'] } } }],
    ['list present on one side only', { filesystem: {} }, { filesystem: { deny: ['/x'] } }, { filesystem: { deny: ['/x'] } }],
    ['[] on one side is kept as []', { network: { allow_domain: [] } }, {}, { network: { allow_domain: [] } }],
  ])('lists dedup-append, base first: %s', (_, base, child, expected) => {
    expect(merge(base, child)).toStrictEqual(expected);
  });

  it.each(OR_CASES)('network.block OR: %s ⊕ %s = %s', (b, c, expected) => {
    const out = merge({ network: b === undefined ? {} : { block: b } }, { network: c === undefined ? {} : { block: c } });
    expect(out.network?.block).toBe(expected);
  });
});

describe('mergeProfiles: mediation.commands', () => {
  it('appends distinct names, base order first, then names new in the child', () => {
    const out = merge(cmds({ name: 'gh' }, { name: 'git' }), cmds({ name: 'kubectl' }, { name: 'git' }, { name: 'aws' }));
    expect(out.mediation?.commands?.map((c) => c.name)).toEqual(['gh', 'git', 'kubectl', 'aws']);
  });

  it('merges a same-name command field by field', () => {
    const base = cmds({
      name: 'gh',
      binary_path: '/usr/bin/gh',
      flags_with_values: ['-R', '--repo'],
      credentials: { GH_TOKEN: { file: '~/base' }, OTHER: { env: 'X' } },
    });
    const child = cmds({
      name: 'gh',
      binary_path: '/opt/gh',
      flags_with_values: ['--repo', '-b'],
      credentials: { GH_TOKEN: { command: ['pass', 'gh'] }, NEW: { file: '/n' } },
    });
    expect(only(merge(base, child))).toEqual({
      name: 'gh',
      binary_path: '/opt/gh',
      flags_with_values: ['-R', '--repo', '-b'],
      credentials: { GH_TOKEN: { command: ['pass', 'gh'] }, OTHER: { env: 'X' }, NEW: { file: '/n' } },
    });
  });

  it('keeps the base binary_path when the child names none', () => {
    expect(only(merge(cmds({ name: 'gh', binary_path: '/usr/bin/gh' }), cmds({ name: 'gh' }))).binary_path).toBe('/usr/bin/gh');
  });

  it('credentials: child wins per key, base keys kept in their order', () => {
    const out = only(merge(cmds({ name: 'g', credentials: { A: { file: '/a' }, B: { env: 'B' } } }),
      cmds({ name: 'g', credentials: { B: { env: 'B2' }, C: { env: 'C' } } })));
    expect(Object.keys(out.credentials!)).toEqual(['A', 'B', 'C']);
    expect(out.credentials).toEqual({ A: { file: '/a' }, B: { env: 'B2' }, C: { env: 'C' } });
  });

  it('credentials: a "__proto__" key stays data, never a prototype', () => {
    const child = JSON.parse('{"name":"g","credentials":{"__proto__":{"env":"P"}}}') as MediatedCommand;
    const creds = only(merge({}, cmds(child))).credentials!;
    expect(Object.getPrototypeOf(creds)).toBeNull();
    expect(Object.keys(creds)).toEqual(['__proto__']);
  });

  it('intercept: child rules first, then base rules whose args_prefix the child does not repeat', () => {
    const base = cmds({ name: 'gh', intercept: [
      rule(['pr', 'merge'], 'deny', 'base-merge'),
      rule(['auth', 'token'], 'capture'),
      rule(['pr'], 'deny', 'base-pr'),
      rule(undefined, 'deny', 'base-catch-all'),
    ] });
    const child = cmds({ name: 'gh', intercept: [
      rule(['pr', 'merge'], 'passthrough'),
      rule([], 'passthrough'),
      rule(['pr', 'merge', 'x'], 'deny', 'child-longer'),
    ] });
    expect(only(merge(base, child)).intercept).toEqual([
      rule(['pr', 'merge'], 'passthrough'),
      rule([], 'passthrough'),
      rule(['pr', 'merge', 'x'], 'deny', 'child-longer'),
      rule(['auth', 'token'], 'capture'),
      rule(['pr'], 'deny', 'base-pr'),
    ]);
  });

  it('intercept: an absent args_prefix equals [] when comparing', () => {
    const out = only(merge(cmds({ name: 'g', intercept: [rule([], 'deny', 'base')] }),
      cmds({ name: 'g', intercept: [rule(undefined, 'passthrough')] })));
    expect(out.intercept).toEqual([rule(undefined, 'passthrough')]);
  });

  it('intercept: present on one side only is copied', () => {
    const rules = [rule(['a'], 'capture')];
    expect(only(merge(cmds({ name: 'g', intercept: rules }), cmds({ name: 'g' }))).intercept).toEqual(rules);
    expect(only(merge(cmds({ name: 'g' }), cmds({ name: 'g', intercept: rules }))).intercept).toEqual(rules);
  });

  it('sandbox merges recursively: fs_*, exec, allowed_hosts, allow_commands union; network.block OR', () => {
    const base = cmds({ name: 'gh', sandbox: {
      fs_read: ['~/.config/gh', '/etc'], fs_write: ['$WORKDIR'], fs_read_file: ['/f'], exec: ['/usr/lib/git-core', '/bin/sh'],
      network: { block: true, allowed_hosts: ['api.github.com'] }, allow_commands: ['git'],
    } });
    const child = cmds({ name: 'gh', sandbox: {
      fs_read: ['/etc', '/usr'], fs_write_file: ['/w'], fs_read_file: ['/f'], exec: ['/bin/sh', '/usr/bin/ssh'],
      network: { block: false, allowed_hosts: ['uploads.github.com', 'api.github.com'] }, allow_commands: ['ssh', 'git'],
    } });
    expect(only(merge(base, child)).sandbox).toStrictEqual({
      fs_read: ['~/.config/gh', '/etc', '/usr'],
      fs_read_file: ['/f'],
      fs_write: ['$WORKDIR'],
      fs_write_file: ['/w'],
      exec: ['/usr/lib/git-core', '/bin/sh', '/usr/bin/ssh'],
      network: { block: true, allowed_hosts: ['api.github.com', 'uploads.github.com'] },
      allow_commands: ['git', 'ssh'],
    });
  });

  it.each(OR_CASES)('sandbox.network.block OR: %s ⊕ %s = %s', (b, c, expected) => {
    const side = (block: boolean | undefined): ProfileDocument =>
      cmds({ name: 'g', sandbox: { network: block === undefined ? {} : { block } } });
    expect(only(merge(side(b), side(c))).sandbox?.network?.block).toBe(expected);
  });

  it('keeps absent command sections absent', () => {
    expect(only(merge(cmds({ name: 'gh' }), cmds({ name: 'gh' })))).toStrictEqual({ name: 'gh' });
  });
});

describe('mergeProfiles: caller_policy (restrictive wins)', () => {
  const policy = (b: CallerPolicy | undefined, c: CallerPolicy | undefined): CallerPolicy | undefined =>
    only(merge(cmds(b ? { name: 'g', caller_policy: b } : { name: 'g' }), cmds(c ? { name: 'g', caller_policy: c } : { name: 'g' })))
      .caller_policy;

  it.each<[boolean | undefined, boolean | undefined, boolean | undefined]>([
    [true, false, false],
    [false, true, false],
    [undefined, false, false],
    [false, undefined, false],
    [true, true, true],
    [undefined, true, true],
    [undefined, undefined, undefined],
  ])('agent_allowed AND (absent = true): %s ⊕ %s = %s', (b, c, expected) => {
    const side = (v: boolean | undefined): CallerPolicy => (v === undefined ? {} : { agent_allowed: v });
    expect(policy(side(b), side(c))?.agent_allowed).toBe(expected);
  });

  it.each<[string, string[] | null | undefined, string[] | null | undefined, string[] | undefined]>([
    ['absent ⊕ absent = absent', undefined, undefined, undefined],
    ['null ⊕ null = absent', null, null, undefined],
    ['null ⊕ absent = absent', null, undefined, undefined],
    ['null ⊕ list = list', null, ['make'], ['make']],
    ['list ⊕ null = list', ['make', 'npm'], null, ['make', 'npm']],
    ['absent ⊕ list = list', undefined, ['make'], ['make']],
    ['null ⊕ [] = []', null, [], []],
    ['[] ⊕ null = []', [], null, []],
    ['[] ⊕ list = []', [], ['make'], []],
    ['list ⊕ [] = []', ['make'], [], []],
    ['list ⊕ list = intersection in base order', ['make', 'npm', 'bash'], ['bash', 'cargo', 'make'], ['make', 'bash']],
    ['disjoint lists = []', ['make'], ['npm'], []],
  ])('allowed_parents: %s', (_, b, c, expected) => {
    const side = (v: string[] | null | undefined): CallerPolicy => (v === undefined ? {} : { allowed_parents: v });
    const out = policy(side(b), side(c));
    expect(out).toBeDefined();
    if (expected === undefined) expect(out).not.toHaveProperty('allowed_parents');
    else expect(out?.allowed_parents).toEqual(expected);
  });

  it('stays absent when neither side has a caller_policy', () => {
    expect(policy(undefined, undefined)).toBeUndefined();
  });
});

describe('mergeProfiles: purity and diamonds', () => {
  const a: ProfileDocument = {
    meta: { name: 'a' },
    filesystem: { read: ['/usr'], deny: ['~/.ssh'] },
    network: { block: false, allow_domain: ['a.com'] },
    mediation: {
      commands: [{
        name: 'gh', binary_path: '/usr/bin/gh', flags_with_values: ['-R'],
        intercept: [rule(['pr', 'merge'], 'deny', 'a'), rule(['auth'], 'capture')],
        sandbox: { fs_read: ['/a'], network: { block: false, allowed_hosts: ['x'] }, allow_commands: ['git'] },
        credentials: { T: { file: '/a' } },
        caller_policy: { agent_allowed: true, allowed_parents: ['make', 'npm'] },
      }],
      env: { block: ['A'] },
      audit: { commands: ['curl'] },
      approval: { timeout_secs: 30 },
    },
  };
  const b: ProfileDocument = {
    meta: { description: 'b' },
    filesystem: { read: ['/opt', '/usr'], write: ['/tmp'] },
    network: { block: true, allow_domain: ['b.com'] },
    mediation: {
      commands: [
        { name: 'gh', intercept: [rule(['pr', 'merge'], 'passthrough'), rule(['repo'], 'deny', 'b')],
          sandbox: { fs_read: ['/b'], network: { block: true, allowed_hosts: ['y'] } },
          credentials: { T: { env: 'T' }, U: { file: '/u' } },
          caller_policy: { agent_allowed: false, allowed_parents: ['npm', 'make', 'bash'] } },
        { name: 'git', caller_policy: { allowed_parents: null } },
      ],
      env: { block: ['B', 'A'] },
    },
  };

  it('does not mutate its inputs (they are deep-frozen); only commands the child leaves alone are shared', () => {
    const base = deepFreeze(structuredClone(a));
    const child = deepFreeze(structuredClone(b));
    const out = mergeProfiles(base, child);
    expect(base).toEqual(a);
    expect(child).toEqual(b);
    const copy = mergeProfiles(base, {});
    expect(copy.filesystem?.read).not.toBe(base.filesystem?.read);
    // Structural sharing: a command the child does not name is passed through as it is.
    expect(copy.mediation?.commands?.[0]).toBe(base.mediation?.commands?.[0]);
    const touched = mergeProfiles(base, { mediation: { commands: [{ name: base.mediation!.commands![0]!.name }] } });
    expect(touched.mediation?.commands?.[0]).not.toBe(base.mediation?.commands?.[0]);
    expect(touched.mediation?.commands?.[0]?.intercept?.[0]).not.toBe(base.mediation?.commands?.[0]?.intercept?.[0]);
    expect(Object.isFrozen(out.mediation?.commands)).toBe(false);
  });

  it('is idempotent: merge(merge(a, b), b) = merge(a, b)', () => {
    const ab = merge(a, b);
    expect(merge(ab, b)).toStrictEqual(ab);
  });

  // d extends [b, c], both extend a: the resolver folds (a ⊕ b) ⊕ (a ⊕ c), so a arrives twice.
  // Lists, sets and booleans come out as if a were merged once. Child-wins fields (scalars, credentials,
  // intercept order) do not: the second copy of a re-asserts a's values over b's.
  it('a diamond gives the same lists, sets and booleans as merging a once', () => {
    const c: ProfileDocument = { filesystem: { read: ['/c'] }, mediation: { env: { block: ['C'] } } };
    const diamond = merge(merge(a, b), merge(a, c));
    const once = merge(merge(a, b), c);
    const pick = (doc: ProfileDocument) => {
      const gh = doc.mediation?.commands?.find((x) => x.name === 'gh');
      return {
        filesystem: doc.filesystem, network: doc.network, env: doc.mediation?.env, audit: doc.mediation?.audit,
        names: doc.mediation?.commands?.map((x) => x.name),
        flags: gh?.flags_with_values, sandbox: gh?.sandbox, caller_policy: gh?.caller_policy,
      };
    };
    expect(pick(diamond)).toStrictEqual(pick(once));
  });

  it('merging onto {} copies a document, folding repeated command names into the first', () => {
    const out = merge({}, cmds({ name: 'gh', flags_with_values: ['-R'] }, { name: 'git' }, { name: 'gh', binary_path: '/g' }));
    expect(out.mediation?.commands).toStrictEqual([{ name: 'gh', binary_path: '/g', flags_with_values: ['-R'] }, { name: 'git' }]);
  });
});

describe('mergeProfiles: sandbox.landlock', () => {
  const withLandlock = (landlock?: 'required' | 'optional'): ProfileDocument => ({
    mediation: { commands: [{ name: 'gh', sandbox: landlock ? { landlock } : {} }] },
  });
  it.each([
    ['required', 'optional', 'required'],
    ['optional', 'required', 'required'],
    ['optional', undefined, 'optional'],
    [undefined, 'optional', 'optional'],
  ] as const)('%s ⊕ %s = %s (required wins)', (base, child, expected) => {
    const out = mergeProfiles(withLandlock(base), withLandlock(child));
    expect(out.mediation?.commands?.[0]?.sandbox?.landlock).toBe(expected);
  });
});

describe('mergeProfiles: tool', () => {
  const withTool = (tool?: 'git' | 'gh' | null): ProfileDocument => ({
    mediation: { commands: [{ name: 'g', ...(tool === undefined ? {} : { tool }) }] },
  });
  it.each<[('git' | 'gh' | null)?, ('git' | 'gh' | null)?, ('git' | 'gh' | null)?]>([
    ['git', 'gh', 'gh'],
    ['git', null, null], // the child turns the spec off
    [null, 'git', 'git'],
    ['git', undefined, 'git'],
    [undefined, null, null],
    [undefined, undefined, undefined],
  ])('%s ⊕ %s = %s (child wins, null included)', (base, child, expected) => {
    const out = mergeProfiles(withTool(base), withTool(child));
    expect(out.mediation?.commands?.[0]?.tool).toBe(expected);
    expect(Object.hasOwn(out.mediation!.commands![0]!, 'tool')).toBe(expected !== undefined);
  });
});
