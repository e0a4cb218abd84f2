import { describe, expect, it } from '@jest/globals';
import { ProfileInvalidError, ShimgateError } from './errors.js';

describe('ProfileInvalidError', () => {
  it('lists every issue with its file and pointer, one per line', () => {
    const err = new ProfileInvalidError([
      { file: 'a.json', pointer: '/meta/nme', message: 'unknown key' },
      { file: 'a.json', pointer: '', message: 'must be an object' },
    ]);
    expect(err).toBeInstanceOf(ShimgateError);
    expect(err.code).toBe('PROFILE_INVALID');
    expect(err.message).toBe('a.json: /meta/nme: unknown key\na.json: /: must be an object');
  });
});
