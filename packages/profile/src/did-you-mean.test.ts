import { describe, expect, it } from '@jest/globals';
import { editDistance, suggest } from './did-you-mean.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['comands', 'commands', 1],
    ['fs_raed', 'fs_read', 1], // one swap, not two substitutions
    ['ab', 'ba', 1],
    ['abc', 'abc', 0],
  ])('%j → %j = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('suggest', () => {
  const callerPolicy = ['agent_allowed', 'allowed_parents'];
  const mediation = ['commands', 'env', 'audit', 'approval'];
  const sandbox = ['fs_read', 'fs_read_file', 'fs_write', 'fs_write_file', 'network', 'allow_commands'];

  it.each([
    ['agent_alowed', callerPolicy, 'agent_allowed'],
    ['allowed_parent', callerPolicy, 'allowed_parents'],
    ['comands', mediation, 'commands'],
    ['fs_raed', sandbox, 'fs_read'],
    ['fs_write_files', sandbox, 'fs_write_file'],
    ['Env', mediation, 'env'],
    ['nme', ['name', 'description'], 'name'],
    ['respnd', ['passthrough', 'respond', 'capture', 'approve', 'deny'], 'respond'],
  ])('%j → %j', (word, candidates, expected) => {
    expect(suggest(word, candidates)).toBe(expected);
  });

  it.each([
    ['x', mediation],
    ['rw', ['none', 'read', 'readwrite']],
    ['timeout', ['commands', 'env']],
    ['anything', []],
  ])('%j has no close candidate', (word, candidates) => {
    expect(suggest(word, candidates)).toBeUndefined();
  });

  it('prefers the closer candidate, then the earlier one', () => {
    expect(suggest('fs_rea', ['fs_read_file', 'fs_read'])).toBe('fs_read');
    expect(suggest('ab', ['ac', 'ad'])).toBe('ac');
  });
});
