import { describe, expect, it } from '@jest/globals';
import { lookupLong, optionTable } from './option-table.js';

const table = optionTable(['-f --file=', '--files-from=', '--force', '--backup=?', '--color=~', '--to-command=', '--to-stdout', '--totals=?'], {
  abbreviations: true,
  negation: true,
  transparentPrefixes: ['expand-'],
});

describe('optionTable', () => {
  it('reads the compact entries', () => {
    expect(table.short.get('f')).toBe('required');
    expect(table.long.get('file')).toBe('required');
    expect(table.long.get('backup')).toBe('optional');
    expect(table.long.get('color')).toBe('maybe');
    expect(table.long.get('force')).toBe('none');
  });

  it('refuses a malformed entry, naming it', () => {
    expect(() => optionTable(['-ab'])).toThrow('option table entry "-ab": "-ab" is not -x or --name');
    expect(() => optionTable(['file='])).toThrow('is not -x or --name');
  });
});

describe('lookupLong', () => {
  it.each<[string, string[], string, boolean]>([
    ['file', ['file'], 'required', true], // exact wins over being a prefix of files-from
    ['to-c', ['to-command'], 'maybe', true], // unique prefix; the tool's table may lag: read both ways
    ['to', ['to-command', 'to-stdout', 'totals'], 'maybe', true], // ambiguous: every candidate
    ['fo', ['force'], 'maybe', true],
    ['no-force', ['no-force'], 'none', true], // a negation keeps its own name
    ['no-fil', ['no-fil'], 'none', true],
    ['expand-file', ['file'], 'required', true],
    ['bogus', ['bogus'], 'maybe', false],
  ])('--%s', (name, names, arity, known) => {
    expect(lookupLong(table, name)).toEqual({ names, arity, known });
  });

  it('no abbreviations when the tool has none', () => {
    expect(lookupLong(optionTable(['--file='], { unknown: 'none' }), 'fil')).toEqual({ names: ['fil'], arity: 'none', known: false });
  });
});
