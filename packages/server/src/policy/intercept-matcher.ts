// Does an intercept rule match a call? (DESIGN §4.2 step 4.) Pure; no I/O, no module state.
//
// Matching is on POSITIONAL arguments and must resist flag tricks, failing towards intercepting:
//   1. A flag is a token that starts with "-" and is not "-" itself. Flags are dropped.
//   2. "--" ends flags: every later token is positional ("--" itself is dropped).
//   3. "--long=v" is one flag token, dropped whole.
//   4. A flag listed in flagsWithValues (exact token) also drops the token after it, when there is one.
//      A listed SHORT flag with its value attached ("-Ro/r" when "-R" is listed) is one token.
//   5. Any other flag may or may not take the next token as its value: both readings are explored and
//      the rule matches if EITHER reading matches (so "-c x=y push" or "--unknown v pr merge" cannot
//      hide the subcommand from the rule).
//   6. The prefix must equal the FIRST positional tokens, in order; later positional tokens are fine.
//      An empty prefix matches every call.
//   7. args_must_include: every listed token appears among the args as a whole token, as the value part
//      of a "-x=value" / "--x=value" token, or (for a listed "--x") as the "--x" of a "--x=value" token.
//
// The explored readings form states (token index, prefix index). They are walked forwards in index
// order with a visited table, so the cost is O(args × prefix) with no recursion (argv can be 4096
// tokens long; a recursive walk would risk the stack).

import type { ResolvedRule } from '@shimgate/profile';

export type RuleShape = Pick<ResolvedRule, 'args_prefix' | 'args_must_include'>;

/** True when the rule's args_prefix and args_must_include both hold for this argv (without argv[0]). */
export function ruleMatches(args: readonly string[], rule: RuleShape, flagsWithValues: readonly string[]): boolean {
  return prefixMatches(args, rule.args_prefix, flagsWithValues) && mustIncludeHolds(args, rule.args_must_include);
}

/** The index of the first rule that matches (first match wins), or -1. */
export function firstMatchingRule(
  args: readonly string[],
  rules: readonly RuleShape[],
  flagsWithValues: readonly string[],
): number {
  return rules.findIndex((rule) => ruleMatches(args, rule, flagsWithValues));
}

function isFlag(token: string): boolean {
  return token.length > 1 && token.startsWith('-');
}

/** A listed short flag ("-R") written with its value attached ("-Ro/r"). */
function isAttachedShort(token: string, listed: ReadonlySet<string>): boolean {
  return !token.startsWith('--') && token.length > 2 && listed.has(token.slice(0, 2));
}

/** Tokens from `start` on are all positional (after "--"): do they begin with prefix[p..]? */
function restMatches(args: readonly string[], start: number, prefix: readonly string[], p: number): boolean {
  if (args.length - start < prefix.length - p) return false;
  for (let k = 0; p + k < prefix.length; k++) {
    if (args[start + k] !== prefix[p + k]) return false;
  }
  return true;
}

export function prefixMatches(
  args: readonly string[],
  prefix: readonly string[],
  flagsWithValues: readonly string[],
): boolean {
  const plen = prefix.length;
  if (plen === 0) return true;
  const listed = new Set(flagsWithValues);
  const n = args.length;
  const width = plen + 1;
  // reached[i * width + p] = 1: some reading has consumed args[0..i) and matched prefix[0..p).
  const reached = new Uint8Array((n + 1) * width);
  reached[0] = 1;
  /** Records state (next, q); true when q completes the prefix. */
  const go = (next: number, q: number): boolean => {
    if (q === plen) return true;
    if (next <= n) reached[next * width + q] = 1;
    return false;
  };
  for (let i = 0; i < n; i++) {
    const token = args[i]!;
    for (let p = 0; p < plen; p++) {
      if (reached[i * width + p] === 0) continue;
      if (token === '--') {
        if (restMatches(args, i + 1, prefix, p)) return true;
      } else if (!isFlag(token)) {
        if (token === prefix[p] && go(i + 1, p + 1)) return true;
      } else if ((token.startsWith('--') && token.includes('=')) || isAttachedShort(token, listed)) {
        go(i + 1, p);
      } else if (listed.has(token)) {
        go(i + 2, p);
      } else {
        // Unlisted flag: without and with the next token as its value.
        go(i + 1, p);
        if (i + 1 < n) go(i + 2, p);
      }
    }
  }
  return false;
}

export function mustIncludeHolds(args: readonly string[], mustInclude: readonly string[]): boolean {
  return mustInclude.every((wanted) => args.some((arg) => tokenProvides(arg, wanted)));
}

function tokenProvides(arg: string, wanted: string): boolean {
  if (arg === wanted) return true;
  if (!isFlag(arg)) return false;
  const eq = arg.indexOf('=');
  if (eq < 0) return false;
  return arg.slice(eq + 1) === wanted || (wanted.startsWith('--') && arg.slice(0, eq) === wanted);
}
