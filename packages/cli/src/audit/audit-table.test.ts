import { describe, expect, it } from '@jest/globals';
import { duration, result, shellQuote, tableHeader, tableRow } from './audit-table.js';

const event = {
  ts: '2030-01-01T10:00:00.000Z', session_id: '0123456789ab', command: 'git', args: ['commit', '-m', 'a long message'],
  action_type: 'deny', exit_code: 126, signal: null, duration_ms: 3,
};
const plain = { width: Infinity, colour: false };
const stripSgr = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, '');

describe('audit table cells', () => {
  it.each([
    [null, '-'], [-1, '-'], [0, '0ms'], [999, '999ms'], [1500, '1.5s'], [59_900, '59.9s'],
    [120_000, '2m00s'], [3_599_000, '59m59s'], [3_600_000, '1h00m'], [90_061_000, '25h01m'],
  ])('duration(%p) is %p', (ms, text) => {
    expect(duration(ms)).toBe(text);
  });

  it.each([
    [0, null, '0'], [126, null, '126'], [null, 15, 'SIGTERM'], [null, 9, 'SIGKILL'], [null, 'SIGHUP', 'SIGHUP'],
    [null, 999, 'signal 999'], [null, null, '-'], ['0', null, '-'],
  ])('result(%p, %p) is %p', (exitCode, signal, text) => {
    expect(result(exitCode, signal)).toBe(text);
  });

  it.each([
    ['pr', 'pr'], ['--repo=o/r', '--repo=o/r'], ['héllo', 'héllo'], ['', "''"], ['a b', "'a b'"], ["it's", `'it'\\''s'`],
    ['$HOME', "'$HOME'"], ['\x1b[2J', String.raw`$'\x1b[2J'`], ["a\\b'\n", String.raw`$'a\\b\'\x0a'`],
    ['\u202eabc', String.raw`$'\u202eabc'`],
  ])('shellQuote(%j) is %s', (arg, text) => {
    expect(shellQuote(arg)).toBe(text);
  });
});

describe('audit table rows', () => {
  it('puts every cell under its title', () => {
    const header = tableHeader(plain);
    const row = tableRow(event, plain);
    for (const [title, value] of [['SESSION', '01234567 '], ['ACTION', 'deny '], ['EXIT', '126 '], ['COMMAND', "git commit -m 'a long message'"]]) {
      expect(row.slice(header.indexOf(title as string)).startsWith(value as string)).toBe(true);
    }
    expect(row.slice(0, header.indexOf('COMMAND')).trimEnd().endsWith('3ms')).toBe(true);
  });

  it('shows "-" for fields that are missing or of the wrong type', () => {
    expect(tableRow({ args: 'not-a-list', exit_code: 'x' }, plain)).toMatch(/^--:--:-- {2}- {9}- {12}- {15}- {2}-$/);
  });

  it('cuts the command to the terminal width with "…", and not below 20 characters', () => {
    const long = { ...event, args: ['x'.repeat(200)] };
    const row = tableRow(long, { width: 100, colour: false });
    expect(row).toHaveLength(100);
    expect(row.endsWith('x…')).toBe(true);
    const narrow = tableRow(long, { width: 40, colour: false });
    expect(narrow.slice(tableHeader(plain).indexOf('COMMAND'))).toHaveLength(20);
  });

  it('does not cut when there is no terminal', () => {
    expect(tableRow({ ...event, args: ['y'.repeat(500)] }, plain).endsWith(`${'y'.repeat(500)}`)).toBe(true);
  });

  it('colours only when asked, without moving a column', () => {
    expect(tableRow(event, plain)).not.toContain('\x1b');
    const coloured = tableRow(event, { width: Infinity, colour: true });
    expect(coloured).toContain('\x1b[31mdeny');
    expect(stripSgr(coloured)).toBe(tableRow(event, plain));
    expect(stripSgr(tableHeader({ width: 80, colour: true }))).toBe(tableHeader(plain));
  });
});
