// An argv read the way its tool reads it (DESIGN §4.2, §4.5): the tool spec says which options take
// values (so "git -C log push" is a push and "kubectl --cache-dir get delete pod x" a delete), how
// long options abbreviate (tar "--to-c" is --to-command), and what the subcommand's other names are
// (npm "pub" is publish, git "send-pack" is also a push). Without a spec, the profile's
// flags_with_values say it. Pure; no I/O, no module state.
import { genericReading, profileFlagsTable, readToken, readWithTable, SAME_NAME, word, type Reading, type ReadToken, type WordNames } from './argv-reading.js';
import { mergeTables, type OptionTable } from './tools/option-table.js';
import type { SubcommandNames, ToolSpec } from './tools/tool-spec.js';

/**
 * The Reading of `args` (argv without argv[0]) by `spec`, or by flags_with_values alone when there is
 * no spec. The profile's flags_with_values add to the spec's tables (a flag the spec does not know
 * takes a value; one it reads otherwise is read both ways).
 */
export function normalizeArgs(spec: ToolSpec | null, args: readonly string[], flagsWithValues: readonly string[] = []): Reading {
  if (spec === null) return genericReading(flagsWithValues, args);
  const names = wordNames(spec.subcommands);
  const extra = profileFlagsTable(flagsWithValues);
  if (spec.layout === 'subcommand') return readSubcommandLayout(spec, args, extra, names);
  const table = withProfileFlags(spec.options, extra);
  if (spec.oldStyleFirstArgument && args.length > 0 && !args[0]!.startsWith('-') && args[0]!.length > 0) {
    return { tokens: [oldStyleBundle(table, args[0]!), ...readWithTable(table, args, 1)], names };
  }
  return { tokens: readWithTable(table, args), names };
}

/** git: the tool's own options up to the first word (exactly), then that subcommand's options. */
function readSubcommandLayout(spec: ToolSpec, args: readonly string[], extra: OptionTable, names: WordNames): Reading {
  const globals = withProfileFlags(spec.options, extra);
  const firstWords = spec.subcommands?.aliases?.[''] ?? {};
  const tokens: ReadToken[] = [];
  let i = 0;
  while (i < args.length) {
    const raw = args[i]!;
    if (raw.length < 2 || !raw.startsWith('-') || Object.hasOwn(firstWords, raw)) break; // "--help" is a command
    const token = readToken(globals, raw, args[i + 1]);
    tokens.push(token);
    const takes = typeof token.takes === 'number' ? token.takes : 0; // git's own options are never ambiguous
    for (let k = 1; k <= takes && i + k < args.length; k++) tokens.push(word(args[i + k]!)); // skipped as its values
    i += 1 + takes;
  }
  if (i >= args.length) return { tokens, names };
  const subcommand = args[i]!;
  const tables = spec.subcommandOptions ?? {};
  const canonical = names([], subcommand)[0]!;
  const own = Object.hasOwn(tables, canonical) ? tables[canonical] : tables['*'];
  const table = withProfileFlags(own ?? extra, extra);
  return { tokens: [...tokens, word(subcommand), ...readWithTable(table, args, i + 1)], names };
}

/** tar's "xvf a.tar": every letter an option; each letter that takes a value takes the next argument. */
function oldStyleBundle(table: OptionTable, raw: string): ReadToken {
  const letters = [...raw];
  const options = letters.map((l) => `-${l}`);
  const takes = letters.filter((l) => table.short.get(l) === 'required').length;
  return { raw, kind: 'option', takes, options, provides: [raw, ...options] };
}

/** The spec's table with the profile's value flags: unknown to the spec → a value; read otherwise → both. */
function withProfileFlags(table: OptionTable, extra: OptionTable): OptionTable {
  if (extra.long.size === 0 && extra.short.size === 0) return table;
  const adjust = (own: ReadonlyMap<string, string>, added: ReadonlyMap<string, string>) =>
    new Map([...added.keys()].map((name) => [name, own.has(name) && own.get(name) !== 'required' ? 'maybe' : 'required'] as const));
  const merged = mergeTables(table, { ...extra, long: adjust(table.long, extra.long), short: adjust(table.short, extra.short) });
  return merged;
}

/** The names a word has in subcommand positions (see SubcommandNames). */
export function wordNames(sub: SubcommandNames | undefined): WordNames {
  if (sub === undefined) return SAME_NAME;
  return (before, written) => {
    const first = before.length === 0;
    const w = first && sub.camelCase && /[A-Z]/.test(written) ? written.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`) : written;
    const aliases = sub.aliases?.[before.join(' ')] ?? {};
    const resolve = (name: string): string => (Object.hasOwn(aliases, name) ? aliases[name]! : name);
    let names = [resolve(w)];
    if (first && sub.abbreviate !== undefined && w !== '' && !sub.abbreviate.includes(w)) {
      const candidates = sub.abbreviate.filter((name) => name.startsWith(w));
      if (candidates.length > 0) names = candidates.map(resolve);
    }
    if (first && sub.classes !== undefined) {
      names = names.flatMap((name) => [name, ...(Object.hasOwn(sub.classes!, name) ? sub.classes![name]! : [])]);
    }
    return [...new Set(names)];
  };
}
