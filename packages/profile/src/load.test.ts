import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileInvalidError, ShimgateError } from './errors.js';
import { loadProfileFile, validateProfileFile } from './load.js';
import { DESIGN_EXAMPLE } from './testing/design-example.js';

// DESIGN §2's example, as YAML; EXAMPLE_VALUE is the same profile as a value.
const EXAMPLE_YAML = `# yaml-language-server: $schema=../schemas/profile.schema.json
extends: [default]
meta: { name: github, description: "gh with brokered credentials" }
workdir: { access: readwrite }
filesystem:
  read: [/usr, /etc]
  write: [$WORKDIR, /tmp]
  read_file: []
  write_file: []
  deny: [~/.config/gh, ~/.ssh, ~/.aws]
network: { block: false, allow_domain: [api.anthropic.com] }
mediation:
  commands:
    - name: gh
      binary_path: /usr/bin/gh
      flags_with_values: [-R, --repo]
      intercept:
        - { args_prefix: [auth, token], action: { type: capture } }
        - { args_prefix: [pr, merge], admin: true, action: { type: passthrough } }
        - { args_prefix: [repo, delete], action: { type: deny, message: never } }
        - args_prefix: [auth, status]
          action: { type: respond, stdout: "Logged in\\n", exit_code: 0 }
      sandbox:
        fs_read: [~/.config/gh]
        fs_read_file: []
        fs_write: [$WORKDIR]
        fs_write_file: []
        network: { block: false, allowed_hosts: [api.github.com] }
        exec: [/usr/lib/git-core]
        allow_commands: [git]
      credentials:
        GH_TOKEN: { file: ~/.config/shimgate/secrets/gh }
      caller_policy: { agent_allowed: true, allowed_parents: null }
  env: { block: [GH_TOKEN, GITHUB_TOKEN] }
  audit: { commands: [curl, wget] }
  approval: { timeout_secs: 300 }
`;

const EXAMPLE_VALUE = DESIGN_EXAMPLE;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shimgate-load-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function loadError(path: string): ShimgateError {
  try {
    loadProfileFile(path);
  } catch (err) {
    expect(err).toBeInstanceOf(ShimgateError);
    return err as ShimgateError;
  }
  throw new Error(`expected ${path} not to load`);
}

describe('loadProfileFile', () => {
  it('loads the DESIGN §2 example from YAML', () => {
    expect(loadProfileFile(file('example.yaml', EXAMPLE_YAML))).toEqual(EXAMPLE_VALUE);
  });

  it('loads the same example from JSON, and from a file without an extension', () => {
    const json = JSON.stringify({ $schema: '../schemas/profile.schema.json', ...EXAMPLE_VALUE }, null, 2);
    const expected = { $schema: '../schemas/profile.schema.json', ...EXAMPLE_VALUE };
    expect(loadProfileFile(file('example.json', json))).toEqual(expected);
    expect(loadProfileFile(file('example', json))).toEqual(expected);
  });

  it('returns null-prototype objects all the way down, arrays as arrays', () => {
    const doc = loadProfileFile(file('proto.yaml', EXAMPLE_YAML));
    const command = doc.mediation?.commands?.[0];
    for (const obj of [doc, doc.meta, doc.filesystem, doc.mediation, command, command?.intercept?.[0]?.action, command?.credentials, command?.caller_policy]) {
      expect(obj).toBeDefined();
      expect(Object.getPrototypeOf(obj)).toBeNull();
    }
    expect(Array.isArray(doc.filesystem?.deny)).toBe(true);
    expect(Array.isArray(command?.intercept)).toBe(true);
  });

  it('keeps a "__proto__" credential name as plain data, without touching any prototype', () => {
    const text = '{"mediation": {"commands": [{"name": "gh", "credentials": {"__proto__": {"env": "X"}, "constructor": {"env": "Y"}}}]}}';
    const credentials = loadProfileFile(file('proto.json', text)).mediation?.commands?.[0]?.credentials;
    expect(Object.getPrototypeOf(credentials)).toBeNull();
    expect(Object.keys(credentials ?? {})).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(credentials, '__proto__')?.value).toEqual({ env: 'X' });
    expect(({} as Record<string, unknown>).env).toBeUndefined();
  });

  it('throws ProfileInvalidError listing every issue, with file and pointer', () => {
    const path = file('two.json', '{\n  "meta": {"nme": "x"},\n  "workdir": {"access": "rw"}\n}\n');
    const err = loadError(path);
    expect(err).toBeInstanceOf(ProfileInvalidError);
    expect(err.code).toBe('PROFILE_INVALID');
    expect((err as ProfileInvalidError).issues).toEqual([
      { file: path, pointer: '/meta/nme', message: '"nme" is not a known key — did you mean "name"?' },
      { file: path, pointer: '/workdir/access', message: 'must be one of "none", "read", "readwrite", got "rw"' },
    ]);
    expect(err.message).toBe(
      `${path}: /meta/nme: "nme" is not a known key — did you mean "name"?\n` +
        `${path}: /workdir/access: must be one of "none", "read", "readwrite", got "rw"`,
    );
  });

  it('passes a JSON syntax error through with its line and column', () => {
    const path = file('syntax.json', '{\n  "meta": {"name": "x",}\n}\n');
    const err = loadError(path);
    expect(err.code).toBe('PROFILE_PARSE');
    expect(err.message).toBe(`${path}:2:23: trailing comma before }`);
  });

  it('passes a YAML syntax error through with its line', () => {
    const path = file('syntax.yml', 'meta:\n  name: x\n name: y\n');
    const err = loadError(path);
    expect(err.code).toBe('PROFILE_PARSE');
    expect(err.message.split('\n')[0]).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: `));
  });

  it('refuses an empty file', () => {
    const path = file('empty.yaml', '');
    expect(loadError(path).message).toBe(`${path}: is empty; a profile is a JSON/YAML object`);
  });

  it('says PROFILE_NOT_FOUND for a missing file', () => {
    const path = join(dir, 'missing.json');
    const err = loadError(path);
    expect(err.code).toBe('PROFILE_NOT_FOUND');
    expect(err.message).toBe(`${path}: no such file`);
  });

  it('says PROFILE_READ, with the reason, when the file cannot be read', () => {
    const sub = join(dir, 'a-dir.json');
    mkdirSync(sub, { recursive: true });
    const isDir = loadError(sub);
    expect(isDir.code).toBe('PROFILE_READ');
    expect(isDir.message).toBe(`${sub}: cannot read: is a directory, not a file`);

    const underFile = join(file('plain.json', '{}'), 'x.json');
    const notDir = loadError(underFile);
    expect(notDir.code).toBe('PROFILE_READ');
    expect(notDir.message).toBe(`${underFile}: cannot read: not a directory (ENOTDIR)`);
  });

  it('refuses bytes that are not UTF-8', () => {
    const path = file('latin1.json', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]));
    const err = loadError(path);
    expect(err.code).toBe('PROFILE_PARSE');
    expect(err.message).toBe(`${path}: is not valid UTF-8 text`);
  });
});

describe('validateProfileFile', () => {
  it('returns [] for a valid profile', () => {
    expect(validateProfileFile(file('ok.yaml', EXAMPLE_YAML))).toEqual([]);
  });

  it('returns every schema issue instead of throwing', () => {
    const path = file('bad.yaml', 'meta:\n  nme: x\nmediation:\n  commands:\n    - name: gh\n      caller_policy: {agent_alowed: true, allowed_parents: x}\n');
    expect(validateProfileFile(path)).toEqual([
      { file: path, pointer: '/meta/nme', message: '"nme" is not a known key — did you mean "name"?' },
      { file: path, pointer: '/mediation/commands/0/caller_policy/agent_alowed', message: '"agent_alowed" is not a known key — did you mean "agent_allowed"?' },
      { file: path, pointer: '/mediation/commands/0/caller_policy/allowed_parents', message: 'must be an array or null, got a string ("x")' },
    ]);
  });

  it('turns a syntax error into an issue at pointer ""', () => {
    const path = file('syntax2.json', '{\n  "meta": {"name": "x",}\n}\n');
    expect(validateProfileFile(path)).toEqual([{ file: path, pointer: '', message: 'line 2, column 23: trailing comma before }' }]);
  });

  it('gives one issue per YAML syntax error', () => {
    const path = file('syntax3.yaml', 'a:\n  - b\n - c\n');
    expect(validateProfileFile(path).map((i) => i.message)).toEqual([
      'line 3, column 1: A block sequence may not be used as an implicit map key',
      'line 3, column 2: Implicit keys need to be on a single line',
      'line 3, column 2: Implicit map keys need to be followed by map values',
    ]);
  });

  it('turns read errors and an empty file into an issue', () => {
    const missing = join(dir, 'nope.yaml');
    expect(validateProfileFile(missing)).toEqual([{ file: missing, pointer: '', message: 'no such file' }]);
    const empty = file('empty.json', '\n');
    expect(validateProfileFile(empty)).toEqual([{ file: empty, pointer: '', message: 'is empty; a profile is a JSON/YAML object' }]);
  });
});
