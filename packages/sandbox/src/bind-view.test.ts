// followLinks on a real tree: links that lead on, dangle, climb with .., or loop.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followLinks } from './bind-view.js';

const W = realpathSync(mkdtempSync(join(tmpdir(), 'shimgate-links-')));
afterAll(() => rmSync(W, { recursive: true, force: true }));
mkdirSync(join(W, 'work'));
mkdirSync(join(W, 'ro'));
writeFileSync(join(W, 'work/profile.json'), '{}');
symlinkSync('notes/cargo-tok', join(W, 'dangling'));
symlinkSync(join(W, 'dangling'), join(W, 'chain'));
symlinkSync('../work', join(W, 'ro/up'));
symlinkSync('loop-b', join(W, 'loop-a'));
symlinkSync('loop-a', join(W, 'loop-b'));

describe('followLinks', () => {
  it('follows a chain of links to a target that does not exist yet', () => {
    expect(followLinks(join(W, 'chain'))).toBe(join(W, 'notes/cargo-tok'));
  });

  it('follows a relative link that climbs with ..', () => {
    expect(followLinks(join(W, 'ro/up/profile.json'))).toBe(join(W, 'work/profile.json'));
    expect(followLinks(join(W, 'ro/up/missing/deeper'))).toBe(join(W, 'work/missing/deeper'));
  });

  it('gives up on a loop', () => {
    expect(() => followLinks(join(W, 'loop-a'))).toThrow(/too many symlinks/);
  });
});
