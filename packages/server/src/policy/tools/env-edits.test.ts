import { describe, expect, it } from '@jest/globals';
import { droppedBy, dropCallerVariables, setVariables } from './env-edits.js';
import { GIT_ENV } from './git.js';

describe('env edits', () => {
  it.each<[string, boolean]>([
    ['GIT_SEQUENCE_EDITOR', true],
    ['GIT_CONFIG_PARAMETERS', true],
    ['git_pager', true], // compared upper-cased
    ['GIT_AUTHOR_NAME', false], // kept
    ['LESSOPEN', true],
    ['LESSCLOSE', true],
    ['SSH_AUTH_SOCK', true],
    ['PAGER', true],
    ['PAGERX', false], // exact names are exact
    ['LANG', false],
  ])('git drops %s: %s', (name, dropped) => {
    expect(droppedBy(GIT_ENV, name)).toBe(dropped);
  });

  it('drops from the caller\'s variables only, into a null-prototype copy', () => {
    const out = dropCallerVariables({ GIT_DIR: '/x', LANG: 'C', ['__proto__']: 'p' }, GIT_ENV);
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(Object.keys(out).sort()).toEqual(['LANG', '__proto__']);
    expect(dropCallerVariables({ A: '1' }, undefined)).toEqual({ A: '1' });
  });

  it('sets after everything: an entry of the same name is replaced, bytes kept', () => {
    const bytes = Buffer.from('X=\xff', 'latin1');
    expect(setVariables(['PAGER=less', 'LANG=C', bytes], { drop: [], set: { PAGER: 'cat', GIT_ASKPASS: '' } }))
      .toEqual(['LANG=C', bytes, 'PAGER=cat', 'GIT_ASKPASS=']);
    expect(setVariables(['A=1'], undefined)).toEqual(['A=1']);
  });
});
