// An argv as a tool reads it (DESIGN §4.2, §4.5): each token a word, an option (and how many of the
// following tokens it takes as values) or the "--" that ends options. Where the tool's reading cannot
// be known (an option the table does not know, an ambiguous abbreviation), the token says so
// ('maybe') and the matcher tries both ways. Pure; no I/O, no module state.
import { lookupLong, optionTable, type Arity, type OptionTable } from './tools/option-table.js';

export interface ReadToken {
  /** The token as written. */
  readonly raw: string;
  readonly kind: 'word' | 'option' | 'end';
  /** option: the following tokens it takes as values; 'maybe' = none or the next one. */
  readonly takes: number | 'maybe';
  /** option: every option it may denote, spelled out ("--to-command", "-x"); [] for words. */
  readonly options: readonly string[];
  /** What args_must_include may find in it: the token, and each option spelled out (with "=value"). */
  readonly provides: readonly string[];
}

/** The names a word has as the Nth word (`before` = the words read so far, already canonical). */
export type WordNames = (before: readonly string[], word: string) => readonly string[];

export interface Reading {
  readonly tokens: readonly ReadToken[];
  readonly names: WordNames;
}

export const SAME_NAME: WordNames = (_, word) => [word];

export function word(raw: string): ReadToken {
  return { raw, kind: 'word', takes: 0, options: [], provides: [raw] };
}

const END: ReadToken = { raw: '--', kind: 'end', takes: 0, options: [], provides: ['--'] };

/**
 * Reads args[from..to) with one option table, each token on its own. Tokens after a "--" are read
 * as options too: an earlier option may take that "--" as its value, and then they are options; the
 * matcher reads them as words only when the "--" really ends the options.
 */
export function readWithTable(table: OptionTable, args: readonly string[], from = 0, to = args.length): ReadToken[] {
  const out: ReadToken[] = [];
  for (let i = from; i < to; i++) out.push(readToken(table, args[i]!, i + 1 < to ? args[i + 1] : undefined));
  return out;
}

/** One token on its own (whether an earlier option takes it as a value is the matcher's business). */
export function readToken(table: OptionTable, raw: string, next: string | undefined): ReadToken {
  if (raw === '--') return END;
  if (raw.length < 2 || !raw.startsWith('-')) return word(raw);
  if (raw.startsWith('--')) return readLong(table, raw, raw.slice(2), next);
  if (table.style === 'nopt') return readNoptShort(table, raw, next);
  return readCluster(table, raw, raw.slice(1), next);
}

function readLong(table: OptionTable, raw: string, body: string, next: string | undefined): ReadToken {
  const eq = body.indexOf('=');
  const match = lookupLong(table, eq < 0 ? body : body.slice(0, eq));
  const options = match.names.map((n) => `--${n}`);
  const attached = eq < 0 ? '' : body.slice(eq);
  return {
    raw,
    kind: 'option',
    takes: eq >= 0 ? 0 : takesFor(table, match.arity, next),
    options,
    provides: [raw, ...options.map((o) => o + attached)],
  };
}

/** getopt: "-abc" is -a -b -c until a letter that takes a value, which takes the rest or the next token. */
function readCluster(table: OptionTable, raw: string, letters: string, next: string | undefined): ReadToken {
  const options: string[] = [];
  let takes: number | 'maybe' = 0;
  let restMayBeValue = false;
  for (let k = 0; k < letters.length; k++) {
    const letter = letters[k]!;
    const arity = table.short.get(letter) ?? table.unknown;
    options.push(`-${letter}`);
    const last = k === letters.length - 1;
    if (arity === 'required' || arity === 'optional') {
      takes = last && arity === 'required' ? takesFor(table, arity, next) : 0;
      break;
    }
    if (arity === 'maybe') {
      // Either this letter takes the rest (or the next token) or the rest are more letters: keep
      // reading them as letters, so a refused letter later in the cluster is still seen.
      if (last) takes = 'maybe';
      else restMayBeValue = true;
    }
  }
  if (restMayBeValue && takes !== 0) takes = 'maybe';
  return { raw, kind: 'option', takes, options, provides: [raw, ...options] };
}

/**
 * nopt (npm): "-abc" is an exact long option or multi-letter shorthand first, then a cluster when
 * every letter is a known shorthand (only the last letter may take a value: the next token), else a
 * long option written with one dash.
 */
function readNoptShort(table: OptionTable, raw: string, next: string | undefined): ReadToken {
  const body = raw.slice(1);
  const letters = [...body];
  if (!table.long.has(body) && letters.every((l) => table.short.has(l))) {
    const options = letters.map((l) => `-${l}`);
    const lastArity = table.short.get(letters[letters.length - 1]!)!;
    return { raw, kind: 'option', takes: takesFor(table, lastArity, next), options, provides: [raw, ...options] };
  }
  return readLong(table, raw, body, next);
}

function takesFor(table: OptionTable, arity: Arity, next: string | undefined): number | 'maybe' {
  if (next === undefined) return 0;
  if (table.style === 'nopt') {
    if (arity === 'none') return next === 'true' || next === 'false' ? 1 : 0; // nopt: "--bool false"
    if (next.startsWith('-')) return 0; // nopt never takes "-x" or "--" as a value
  }
  switch (arity) {
    case 'none':
    case 'optional':
      return 0;
    case 'required':
      return 1;
    case 'maybe':
      return 'maybe';
  }
}

/**
 * The reading of a command without a tool spec (DESIGN §4.2): flags listed in the profile's
 * flags_with_values take the next token (a listed short flag may carry its value attached, "-Ro/r");
 * every other flag may or may not.
 */
export function genericReading(flagsWithValues: readonly string[], args: readonly string[]): Reading {
  return { tokens: readWithTable(profileFlagsTable(flagsWithValues), args), names: SAME_NAME };
}

/** The profile's flags_with_values as a table: listed flags take a value, every other may. */
export function profileFlagsTable(flagsWithValues: readonly string[]): OptionTable {
  return optionTable(
    flagsWithValues.filter((f) => /^(-[^-=\s]|--[^-=\s][^=\s]*)$/.test(f)).map((f) => `${f}=`),
    { unknown: 'maybe' },
  );
}

/**
 * The tokens a tool may read as options, failing towards finding them: a value is skipped only when
 * its option surely takes it, and a "--" ends options only when no option before it may take it.
 */
export function possibleOptions(tokens: readonly ReadToken[]): ReadToken[] {
  const out: ReadToken[] = [];
  let mayTakeNext = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'end' && !mayTakeNext) break;
    mayTakeNext = token.kind === 'option' && token.takes === 'maybe';
    if (token.kind !== 'option') continue;
    out.push(token);
    if (typeof token.takes === 'number') i += token.takes; // its values, surely not options
  }
  return out;
}
