// Does an intercept rule match a call? (DESIGN §4.2 step 4.) Pure; no I/O, no module state.
//
// Rules match a Reading of the call (argv-reading.ts: built from the command's tool spec, or from
// the profile's flags_with_values when it has none), failing towards intercepting:
//   1. args_prefix must equal the first words of the call, in order; later words are fine. An empty
//      prefix matches every call. Words are what is left when options and their values are dropped;
//      after a "--" that ends options every token is a word.
//   2. Where the reading cannot know whether an option takes the next token, both ways are read
//      (reading-words.ts), so "--unknown v pr merge" cannot hide "pr merge" from a rule.
//   3. args_must_include: every listed token appears among the args as a whole token, as the value
//      part of a "-x=value" / "--x=value" token, as the "--x" of a "--x=value" token, or as an option
//      the reading spells out (an abbreviation "--forc" provides "--force"; a cluster "-xvf" provides
//      "-x", "-v" and "-f").
// The decider (decide.ts) takes the first matching rule of EACH reading and keeps the most restrictive.
import type { ResolvedRule } from '@shimgate/profile';
import { genericReading, type Reading } from './argv-reading.js';
import { leadingWords } from './reading-words.js';

export type RuleShape = Pick<ResolvedRule, 'args_prefix' | 'args_must_include'>;

/** No rule matched this reading: the command's default applies. */
export const NO_RULE = -1;

/**
 * For every distinct reading of the call, the index of the first rule that matches it (NO_RULE when
 * none does), deduplicated, in the order found. null when the call has too many readings to list:
 * the caller must then assume any rule whose args_must_include holds could match.
 */
export function firstMatches(reading: Reading, rules: readonly RuleShape[]): number[] | null {
  const depth = Math.max(0, ...rules.map((r) => r.args_prefix.length));
  const readings = leadingWords(reading, depth);
  if (readings === null) return null;
  const included = rules.map((rule) => mustIncludeHolds(reading, rule.args_must_include));
  const found = new Set<number>();
  for (const words of readings) {
    found.add(rules.findIndex((rule, i) => included[i]! && startsWith(words, rule.args_prefix)));
  }
  return [...found];
}

/** True when some reading of the call matches the rule (earlier rules aside): for `explain`. */
export function ruleMatchesReading(reading: Reading, rule: RuleShape): boolean {
  if (!mustIncludeHolds(reading, rule.args_must_include)) return false;
  const readings = leadingWords(reading, rule.args_prefix.length);
  return readings === null || readings.some((words) => startsWith(words, rule.args_prefix));
}

/** ruleMatchesReading for a command without a tool spec (its flags_with_values only). */
export function ruleMatches(args: readonly string[], rule: RuleShape, flagsWithValues: readonly string[]): boolean {
  return ruleMatchesReading(genericReading(flagsWithValues, args), rule);
}

function startsWith(words: readonly string[], prefix: readonly string[]): boolean {
  return words.length >= prefix.length && prefix.every((token, k) => words[k] === token);
}

export function mustIncludeHolds(reading: Reading, mustInclude: readonly string[]): boolean {
  return mustInclude.every((wanted) => reading.tokens.some((t) => t.provides.some((p) => tokenProvides(p, wanted))));
}

function tokenProvides(arg: string, wanted: string): boolean {
  if (arg === wanted) return true;
  if (arg.length < 2 || !arg.startsWith('-')) return false;
  const eq = arg.indexOf('=');
  if (eq < 0) return false;
  return arg.slice(eq + 1) === wanted || (wanted.startsWith('--') && arg.slice(0, eq) === wanted);
}
