// Every way a Reading's words can come out (DESIGN §4.2): where an option may or may not take the
// next token, both ways are followed; a "--" ends options only when no option takes it as a value.
// Only the first `depth` words matter to the rules (the longest args_prefix), so readings that agree
// on them are one. Pure; no I/O, no module state.
//
// The walk is breadth-first over (token index, words so far, after "--"), deduplicated per index, so
// ambiguity that leads to the same words costs nothing, and no recursion can blow the stack on a
// 4096-token argv.
import type { Reading } from './argv-reading.js';

/** Distinct leading-word lists kept before a call counts as too ambiguous to read. */
export const MAX_WORD_READINGS = 256;
/**
 * States walked before a call counts as too ambiguous to read: the cost bound. bench/decide.mjs: a
 * 4096-token argv of unknown options reaches it in ≈ 13 ms; a typical call walks tens (≈ 10–20 µs).
 */
export const MAX_WALK_STATES = 20_000;

interface State {
  words: readonly string[];
  ended: boolean;
}

/**
 * The distinct lists of the first `depth` words (fewer when the argv runs out), in the order found;
 * null when there are more than MAX_WORD_READINGS or the walk exceeds MAX_WALK_STATES (the caller then
 * fails towards the most restrictive rule).
 */
export function leadingWords(reading: Reading, depth: number): string[][] | null {
  const { tokens, names } = reading;
  const n = tokens.length;
  const buckets: Map<string, State>[] = Array.from({ length: n + 1 }, () => new Map());
  const results = new Map<string, string[]>();
  let walked = 0;
  const add = (at: number, state: State): void => {
    buckets[Math.min(at, n)]!.set(key(state), state);
  };
  add(0, { words: [], ended: false });
  for (let i = 0; i <= n; i++) {
    for (const state of buckets[i]!.values()) {
      if (++walked > MAX_WALK_STATES) return null;
      if (state.words.length >= depth || i === n) {
        results.set(key({ ...state, ended: false }), [...state.words]);
        if (results.size > MAX_WORD_READINGS) return null;
        continue;
      }
      const token = tokens[i]!;
      if (state.ended || token.kind === 'word') {
        for (const name of names(state.words, token.raw)) add(i + 1, { words: [...state.words, name], ended: state.ended });
      } else if (token.kind === 'end') {
        add(i + 1, { words: state.words, ended: true });
      } else if (token.takes === 'maybe') {
        add(i + 1, state);
        add(i + 2, state);
      } else {
        add(i + 1 + token.takes, state);
      }
    }
    buckets[i]!.clear();
  }
  return [...results.values()];
}

function key(state: State): string {
  return JSON.stringify([state.ended, state.words]);
}
