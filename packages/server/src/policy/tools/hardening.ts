// Before a mediated command's real binary runs with the agent's arguments (DESIGN §4.5): refuse what
// its tool spec refuses, and change its argv and environment as the spec says. Pure: the decision
// only; call-runner.ts applies it. git has its own rules (git-hardening.ts).
import { normalizeArgs } from '../normalize-args.js';
import { possibleOptions } from '../argv-reading.js';
import { leadingWords } from '../reading-words.js';
import { hardenGit, type GitCommands } from './git-hardening.js';
import type { EnvEdits, ToolSpec } from './tool-spec.js';

/** The refusal (126, the reason on the caller's stderr and in the audit log), or what to run. */
export type Hardened<A> = { refuse: string } | { args: (string | A)[]; env: EnvEdits | undefined };

/** What the session learned about the tools at start. */
export interface ToolFacts {
  /** git's built-in and installed commands (`git --list-cmds=builtins,main`), or why they are unknown. */
  readonly gitCommands: GitCommands;
}

export const NO_FACTS: ToolFacts = { gitCommands: { problem: 'the session did not list git\'s commands' } };

/** `args` are the call's, bytes that are not UTF-8 as Buffers (read as latin1 here, passed on as they are). */
export function hardenCall<A extends string | Buffer>(spec: ToolSpec, args: readonly A[], facts: ToolFacts): Hardened<A> {
  if (spec.name === 'git') return hardenGit(args, facts.gitCommands);
  const hardening = spec.hardening;
  if (hardening === undefined) return { args: [...args], env: undefined };
  const reading = normalizeArgs(spec, args.map(argText));
  for (const token of possibleOptions(reading.tokens)) {
    for (const rule of hardening.refuseOptions ?? []) {
      const hit = token.options.find((option) => rule.options.includes(option));
      if (hit !== undefined) return refusal(spec.name, shown(token.raw, hit), rule.reason, rule.fix);
    }
  }
  const refusedWords = hardening.refuseWords ?? [];
  if (refusedWords.length > 0) {
    const readings = leadingWords(reading, Math.max(...refusedWords.map((r) => r.words.length)));
    for (const rule of refusedWords) {
      const hit = readings === null || readings.some((words) => rule.words.every((w, k) => words[k] === w));
      if (hit) return refusal(spec.name, `"${spec.name} ${rule.words.join(' ')}"`, rule.reason, rule.fix);
    }
  }
  return { args: [...(hardening.prepend ?? []), ...args], env: hardening.env };
}

export function refusal(tool: string, what: string, reason: string, fix?: string): { refuse: string } {
  return { refuse: `the ${tool} tool spec refuses ${what}: ${reason}${fix === undefined ? '' : `; instead, ${fix}`}` };
}

export function argText(arg: string | Buffer): string {
  return typeof arg === 'string' ? arg : arg.toString('latin1');
}

export function quote(token: string): string {
  return JSON.stringify(token);
}

/**
 * An option token as written, without its value (a value may be a secret, and refusals are audited):
 * "--to-c=…" for --to-command, "-xvI…" for -I in a cluster, and the option it stands for when the
 * spelling differs.
 */
export function shown(raw: string, option?: string): string {
  let written = raw;
  if (raw.startsWith('--')) {
    const eq = raw.indexOf('=');
    if (eq >= 0) written = `${raw.slice(0, eq)}=…`;
  } else if (raw.startsWith('-') && option !== undefined && /^-[^-]$/.test(option)) {
    const at = raw.indexOf(option[1]!, 1);
    if (at >= 0 && at < raw.length - 1) written = `${raw.slice(0, at + 1)}…`;
  }
  const bare = written.replace(/=…$/, '');
  return option === undefined || option === bare ? quote(written) : `${quote(written)} (${option})`;
}
