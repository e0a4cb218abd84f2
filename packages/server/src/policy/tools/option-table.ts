// How a tool reads its options: which take a value, which names abbreviate, what an unknown option
// does. Tables are data written in a compact form, one string per option with its other names:
//
//   '-f --file='        -f and --file take a value (the next token, or attached: -fX, --file=X)
//   '--backup=?'        an optional value, only when attached (--backup=numbered)
//   '--color=~'         may or may not take the next token (both readings are tried)
//   '-v --verbose'      no value
//
// Pure data plus lookups; no I/O, no module state.

/** none: no value; required: the next token (or attached); optional: attached only; maybe: either way. */
export type Arity = 'none' | 'required' | 'optional' | 'maybe';

export interface OptionTable {
  /** Long names without "--". */
  readonly long: ReadonlyMap<string, Arity>;
  /** Short letters without "-". */
  readonly short: ReadonlyMap<string, Arity>;
  /** Long options may be shortened to any unique prefix (getopt_long, argp, curl 7, nopt). */
  readonly abbreviations: boolean;
  /** How an option the table does not know is read: 'maybe' (fail towards intercepting) or 'none' (nopt). */
  readonly unknown: Arity;
  /**
   * getopt: a required value is the next token whatever it looks like, a value letter inside a cluster
   * takes the rest of the cluster. nopt (npm): a value never starts with "-", and a value letter inside
   * a cluster ("-gC dir") takes the next token.
   */
  readonly style: 'getopt' | 'nopt';
  /** "--no-NAME" of a known NAME reads as NAME without a value (git, curl, nopt). */
  readonly negation: boolean;
  /** Long-name prefixes that leave the option itself unchanged (curl: --expand-NAME is NAME). */
  readonly transparentPrefixes: readonly string[];
}

export interface TableSettings {
  abbreviations?: boolean;
  unknown?: Arity;
  style?: 'getopt' | 'nopt';
  negation?: boolean;
  transparentPrefixes?: readonly string[];
}

const ARITY_SUFFIX: readonly [string, Arity][] = [['=?', 'optional'], ['=~', 'maybe'], ['=', 'required']];

/** Builds a table from entries such as '-f --file=' (see the header). Throws on a malformed entry. */
export function optionTable(entries: readonly string[], settings: TableSettings = {}): OptionTable {
  const long = new Map<string, Arity>();
  const short = new Map<string, Arity>();
  for (const entry of entries) {
    const suffix = ARITY_SUFFIX.find(([s]) => entry.endsWith(s));
    const arity = suffix?.[1] ?? 'none';
    const names = (suffix ? entry.slice(0, -suffix[0].length) : entry).split(' ');
    for (const name of names) {
      if (/^--[^-=\s][^=\s]*$/.test(name)) long.set(name.slice(2), arity);
      else if (/^-[^-=\s]$/.test(name)) short.set(name.slice(1), arity);
      else throw new Error(`option table entry "${entry}": "${name}" is not -x or --name`);
    }
  }
  return {
    long,
    short,
    abbreviations: settings.abbreviations ?? false,
    unknown: settings.unknown ?? 'maybe',
    style: settings.style ?? 'getopt',
    negation: settings.negation ?? false,
    transparentPrefixes: settings.transparentPrefixes ?? [],
  };
}

/** Tables merged left to right (a later entry wins); settings from the first. */
export function mergeTables(first: OptionTable, ...rest: readonly OptionTable[]): OptionTable {
  const long = new Map(first.long);
  const short = new Map(first.short);
  for (const table of rest) {
    for (const [name, arity] of table.long) long.set(name, arity);
    for (const [name, arity] of table.short) short.set(name, arity);
  }
  return { ...first, long, short };
}

export interface LongMatch {
  /** Every option the name may denote, spelled out without "--": one when exact or unique. */
  readonly names: readonly string[];
  /** The arity to read it with: the candidates' when they agree, else 'maybe'. */
  readonly arity: Arity;
  /** False when the tool does not know the name (then `names` holds the name as written). */
  readonly known: boolean;
}

/**
 * What "--NAME" denotes. An exact name wins; with abbreviations, a prefix of several names denotes
 * every one of them (the tool would refuse it as ambiguous, so any reading is safe, and a refusal of
 * any candidate applies). An abbreviation is also read as an option the table may not know (tables
 * lag behind tools), so its arity is 'maybe' unless the candidates and the unknown rule agree.
 */
export function lookupLong(table: OptionTable, written: string): LongMatch {
  const name = stripTransparent(table, written);
  const exact = table.long.get(name);
  if (exact !== undefined) return { names: [name], arity: exact, known: true };
  // "--no-NAME" keeps its own name (it is not NAME: "--no-ext-diff" is not "--ext-diff"), only the arity.
  if (table.negation && name.startsWith('no-') && lookupLong({ ...table, negation: false }, name.slice(3)).known) {
    return { names: [name], arity: 'none', known: true };
  }
  if (table.abbreviations && name.length > 0) {
    const candidates = [...table.long.keys()].filter((full) => full.startsWith(name));
    if (candidates.length > 0) {
      const arities = new Set([...candidates.map((c) => table.long.get(c)!), table.unknown]);
      return { names: candidates, arity: arities.size === 1 ? table.unknown : 'maybe', known: true };
    }
  }
  return { names: [name], arity: table.unknown, known: false };
}

function stripTransparent(table: OptionTable, name: string): string {
  for (const prefix of table.transparentPrefixes) {
    if (name.startsWith(prefix) && name.length > prefix.length) return name.slice(prefix.length);
  }
  return name;
}
