import { describe, expect, it } from '@jest/globals';
import { genericReading, possibleOptions, readToken, readWithTable } from './argv-reading.js';
import { leadingWords, MAX_WORD_READINGS } from './reading-words.js';
import { optionTable } from './tools/option-table.js';

const getopt = optionTable(['-f --file=', '-v', '-x', '-O=?', '--color=~'], { abbreviations: true });
const nopt = optionTable(['--prefix=', '-C=', '-g', '--reg='], { style: 'nopt', unknown: 'none', abbreviations: true });
const read = (table = getopt, ...args: string[]) => readWithTable(table, args).map((t) => [t.kind, t.takes, t.options.join(',')]);

describe('readToken', () => {
  it.each<[string, string | undefined, unknown[]]>([
    ['file.txt', undefined, ['word', 0, '']],
    ['-', undefined, ['word', 0, '']],
    ['--', undefined, ['end', 0, '']],
    ['-xvf', 'a.tar', ['option', 1, '-x,-v,-f']],
    ['-fa.tar', 'next', ['option', 0, '-f']], // the value is attached
    ['-xO', 'next', ['option', 0, '-x,-O']], // optional values are attached only
    ['-q', 'next', ['option', 'maybe', '-q']], // unknown: may take the next token
    ['-qx', 'next', ['option', 0, '-q,-x']], // or -q takes "x": either way nothing after
    ['-xq', 'next', ['option', 'maybe', '-x,-q']],
    ['--file', 'a', ['option', 1, '--file']],
    ['--file=a', 'b', ['option', 0, '--file']],
    ['--fi', 'a', ['option', 'maybe', '--file']],
    ['--color', 'always', ['option', 'maybe', '--color']],
  ])('%s (next %s)', (raw, next, expected) => {
    const t = readToken(getopt, raw, next);
    expect([t.kind, t.takes, t.options.join(',')]).toEqual(expected);
  });

  it('provides the option spelled out, with its attached value, for args_must_include', () => {
    expect(readToken(getopt, '--fi=a', undefined).provides).toEqual(['--fi=a', '--file=a']);
    expect(readToken(getopt, '-xvf', 'a').provides).toEqual(['-xvf', '-x', '-v', '-f']);
  });

  it.each<[string[], unknown[][]]>([
    [['-gC', 'dir', 'publish'], [['option', 1, '-g,-C'], ['word', 0, ''], ['word', 0, '']]], // the last letter takes the next token
    [['--prefix', '-g', 'x'], [['option', 0, '--prefix'], ['option', 0, '-g'], ['word', 0, '']]], // never "-g" as a value
    [['-g', 'false', 'x'], [['option', 1, '-g'], ['word', 0, ''], ['word', 0, '']]], // "--bool false"
    [['-reg', 'r', 'x'], [['option', 1, '--reg'], ['word', 0, ''], ['word', 0, '']]], // one dash, a long name
    [['--unknown', 'x'], [['option', 0, '--unknown'], ['word', 0, '']]], // nopt: unknown = boolean
  ])('nopt %j', (args, expected) => {
    expect(read(nopt, ...args)).toEqual(expected);
  });
});

describe('leadingWords', () => {
  it('follows both readings of an ambiguous option, and "--" only when nothing takes it', () => {
    const reading = genericReading([], ['--weird', '--', '-R', 'x', 'pr']);
    // --weird takes nothing: "--" ends options; --weird takes "--": -R takes x, or nothing
    expect(leadingWords(reading, 3)?.sort()).toEqual([['-R', 'x', 'pr'], ['pr'], ['x', 'pr']]);
  });

  it('stops at the depth, dedups, and gives up past the limit', () => {
    expect(leadingWords(genericReading([], ['a', 'b', 'c']), 2)).toEqual([['a', 'b']]);
    expect(leadingWords(genericReading([], []), 2)).toEqual([[]]);
    const wide = Array.from({ length: 30 }, (_, i) => [`-f${i}`, `w${i}`]).flat();
    expect(leadingWords(genericReading([], wide), 3)).toBeNull();
    expect(MAX_WORD_READINGS).toBeGreaterThan(100);
  });
});

describe('possibleOptions', () => {
  it('skips sure values, and passes a "--" that an option may take', () => {
    const raws = (args: string[]) => possibleOptions(readWithTable(getopt, args)).map((t) => t.raw);
    expect(raws(['-f', '--to-command=x', '-v'])).toEqual(['-f', '-v']); // -f surely takes it
    expect(raws(['-v', '--', '--to-command=x'])).toEqual(['-v']);
    expect(raws(['-q', '--', '--to-command=x'])).toEqual(['-q', '--to-command=x']); // -q may take "--"
  });
});
