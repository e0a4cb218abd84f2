import { afterAll, describe, expect, it } from '@jest/globals';
import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLineTail } from './line-tail.js';

const root = mkdtempSync(join(tmpdir(), 'shimgate-line-tail-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('openLineTail', () => {
  it('returns whole lines only, keeping a half-written one until its end arrives', () => {
    const path = join(root, 'a.jsonl');
    writeFileSync(path, 'one\ntwo\nthr');
    const tail = openLineTail(path);
    expect(tail.readLines()).toEqual(['one', 'two']);
    expect(tail.partial()).toBe('thr');
    expect(tail.readLines()).toEqual([]);
    appendFileSync(path, 'ee\n\nfour\n');
    expect(tail.readLines()).toEqual(['three', '', 'four']);
    expect(tail.partial()).toBeNull();
    tail.close();
  });

  it('never splits a multi-byte character written in two parts', () => {
    const path = join(root, 'b.jsonl');
    const bytes = Buffer.from('né\n');
    writeFileSync(path, bytes.subarray(0, 2)); // "n" and the first byte of "é"
    const tail = openLineTail(path);
    expect(tail.readLines()).toEqual([]);
    appendFileSync(path, bytes.subarray(2));
    expect(tail.readLines()).toEqual(['né']);
    tail.close();
  });

  it('reads lines longer than its read buffer', () => {
    const path = join(root, 'c.jsonl');
    const long = 'z'.repeat(200_000);
    writeFileSync(path, `${long}\nend\n`);
    const tail = openLineTail(path);
    expect(tail.readLines()).toEqual([long, 'end']);
    tail.close();
  });

  it('reports once, and starts over, when the file gets shorter', () => {
    const path = join(root, 'd.jsonl');
    writeFileSync(path, 'first\nsecond\n');
    const tail = openLineTail(path);
    expect(tail.readLines()).toEqual(['first', 'second']);
    truncateSync(path, 0);
    appendFileSync(path, 'new\n');
    expect(tail.readLines()).toEqual(['new']);
    expect(tail.shrank()).toBe(true);
    expect(tail.shrank()).toBe(false);
    tail.close();
  });
});
