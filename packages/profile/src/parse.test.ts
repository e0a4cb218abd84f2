import { describe, expect, it } from '@jest/globals';
import { ShimgateError } from './errors.js';
import { parseProfileText } from './parse.js';

function parseError(text: string, file: string): ShimgateError {
  try {
    parseProfileText(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ShimgateError);
    expect((err as ShimgateError).code).toBe('PROFILE_PARSE');
    return err as ShimgateError;
  }
  throw new Error(`expected ${file} not to parse`);
}

describe('parseProfileText: JSON', () => {
  it('parses a .json file', () => {
    expect(parseProfileText('{"meta": {"name": "x"}, "extends": ["a"]}', 'p.json')).toEqual({
      meta: { name: 'x' },
      extends: ['a'],
    });
  });

  it('parses a file with another extension as JSON, and ignores a byte order mark', () => {
    expect(parseProfileText('\uFEFF{"a": [1, 2.5e3, true, null, "\\u0041\\n"]}', 'profile')).toEqual({
      a: [1, 2500, true, null, 'A\n'],
    });
  });

  it.each([
    ['{"a":}', '1:6: expected a value (string, number, object, array, true, false or null), found \'}\''],
    ['{\n  "a": 1,\n}', "2:9: trailing comma before }"],
    ['{\n  "a": [1, 2,]\n}', '2:13: trailing comma before ]'],
    ['{\n  "a": 1\n  "b": 2\n}', `3:3: expected ',' or '}' after the value of "a", found '"'`],
    ['{"a" 1}', `1:6: expected ':' after the key "a", found '1'`],
    ['{a: 1}', `1:2: expected a key in double quotes, found 'a'`],
    ['{"a": tru}', `1:7: expected a value (string, number, object, array, true, false or null), found 'tru'`],
    ['{"a": "x\ny"}', '1:9: line break inside a string (write \\n, or close the string)'],
    ['{"a": "\\q"}', "1:8: invalid escape '\\q' in a string"],
    ['{"a": "x', '1:7: unterminated string'],
    ['{"a": 1', `1:8: expected ',' or '}' after the value of "a", found the end of the file`],
    ['{"a": 1} x', "1:10: unexpected 'x' after the end of the JSON value"],
    ['[1 2]', "1:4: expected ',' or ']' after an array element, found '2'"],
  ])('%j → line:col and what is wrong', (text, expected) => {
    expect(parseError(text, 'p.json').message).toBe(`p.json:${expected}`);
  });

  it('reports a duplicate key at the second occurrence, naming the first', () => {
    const text = '{\n  "meta": {},\n  "network": {},\n  "meta": {"name": "x"}\n}';
    expect(parseError(text, 'dup.json').message).toBe('dup.json:4:3: duplicate key "meta" (first at 2:3)');
  });

  it('compares keys after unescaping', () => {
    expect(parseError('{"ab": 1, "a\\u0062": 2}', 'p.json').message).toBe(
      'p.json:1:11: duplicate key "ab" (first at 1:2)',
    );
  });

  it('allows the same key in different objects', () => {
    expect(parseProfileText('{"a": {"x": 1}, "b": {"x": 2}}', 'p.json')).toEqual({ a: { x: 1 }, b: { x: 2 } });
  });

  it('says why a file without a .json/.yaml name was read as JSON', () => {
    expect(parseError('meta:\n  name: x\n', 'profile.txt').message).toBe(
      "profile.txt:1:1: expected a value (string, number, object, array, true, false or null), found 'meta' (files not named .yaml/.yml are read as JSON)",
    );
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    const text = '['.repeat(100_000);
    expect(parseError(text, 'deep.json').message).toBe('deep.json:1:65: nested deeper than 64 levels');
  });
});

describe('parseProfileText: YAML', () => {
  it('parses .yaml and .yml files', () => {
    const text = 'meta:\n  name: github\nmediation:\n  commands:\n    - name: gh\n      caller_policy: {allowed_parents: null}\n';
    const expected = { meta: { name: 'github' }, mediation: { commands: [{ name: 'gh', caller_policy: { allowed_parents: null } }] } };
    expect(parseProfileText(text, 'p.yaml')).toEqual(expected);
    expect(parseProfileText(text, 'P.YML')).toEqual(expected);
  });

  it('reports a syntax error with its line and column, without the code excerpt', () => {
    const text = 'meta:\n  name: x\n\tdescription: y\n';
    expect(parseError(text, 'p.yaml').message).toBe('p.yaml:3:1: Tabs are not allowed as indentation');
  });

  it('reports every syntax error, one per line', () => {
    const message = parseError('a:\n  - b\n - c\n', 'p.yml').message;
    expect(message.split('\n')).toEqual([
      'p.yml:3:1: A block sequence may not be used as an implicit map key',
      'p.yml:3:2: Implicit keys need to be on a single line',
      'p.yml:3:2: Implicit map keys need to be followed by map values',
    ]);
  });

  it('treats a duplicate key as an error', () => {
    expect(parseError('network:\n  block: true\nnetwork:\n  block: false\n', 'p.yaml').message).toBe(
      'p.yaml:3:1: Map keys must be unique',
    );
  });

  it('treats a warning (an unknown tag) as an error too', () => {
    expect(parseError('meta:\n  name: !secret x\n', 'p.yaml').message).toBe('p.yaml:2:9: Unresolved tag: !secret');
  });

  it('refuses several documents in one file', () => {
    expect(parseError('meta: {}\n---\nnetwork: {}\n', 'p.yaml').message).toBe(
      'p.yaml:2:1: Source contains multiple documents; please use YAML.parseAllDocuments()',
    );
  });

  it('refuses a key that is not a plain string', () => {
    expect(parseError('? [a, b]\n: 1\n', 'p.yaml').message).toBe('p.yaml:1:3: keys must be plain strings, not lists or maps');
  });

  it('refuses an alias to an anchor that does not exist', () => {
    expect(parseError('meta: *nope\n', 'p.yaml').message).toBe(
      'p.yaml: Unresolved alias (the anchor must be set before the alias): nope',
    );
  });

  it('refuses an alias bomb', () => {
    // Each level holds ten aliases of the one before: 10^8 strings if fully expanded.
    const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let n = 1; n < 8; n++) lines.push(`l${n}: &l${n} [${Array(10).fill(`*l${n - 1}`).join(', ')}]`);
    expect(parseError(lines.join('\n'), 'bomb.yaml').message).toMatch(/^bomb\.yaml: Excessive alias count/);
  });

  it('leaves an explicit null to the schema check', () => {
    expect(parseProfileText('null\n', 'p.yaml')).toBeNull();
    expect(parseProfileText('~\n', 'p.yaml')).toBeNull();
    expect(parseProfileText('null', 'p.json')).toBeNull();
  });

  it('keeps strings that look like dates or versions as strings', () => {
    expect(parseProfileText('a: 2001-12-14\nb: 1.10\nc: "1.10"\n', 'p.yaml')).toEqual({ a: '2001-12-14', b: 1.1, c: '1.10' });
  });
});

describe('parseProfileText: empty documents', () => {
  it.each([
    ['', 'p.json'],
    ['  \n\t\n', 'p.json'],
    ['\uFEFF', 'p'],
    ['', 'p.yaml'],
    ['# nothing but a comment\n', 'p.yaml'],
    ['---\n', 'p.yml'],
    ['---\n# c\n...\n', 'p.yml'],
  ])('%j in %s is an error', (text, file) => {
    expect(parseError(text, file).message).toBe(`${file}: is empty; a profile is a JSON/YAML object`);
  });
});
