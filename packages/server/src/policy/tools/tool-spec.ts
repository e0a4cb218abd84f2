// What shimgate knows about a tool it mediates (DESIGN §4.5), as data: how the tool reads its argv
// (so rules see the subcommand the tool will run) and what must be refused or neutralised before the
// real binary runs with the agent's arguments outside the agent sandbox. One file per tool.
import type { OptionTable } from './option-table.js';

export interface ToolSpec {
  readonly name: string;
  /** One line for README/explain: what the spec neutralises. */
  readonly summary: string;
  /**
   * 'anywhere': one table for the whole argv, options may come anywhere (kubectl, gh, npm, tar, curl).
   * 'subcommand': `options` are the tool's own, before the first word (the subcommand); after it the
   * subcommand's table from `subcommandOptions` (git).
   */
  readonly layout: 'anywhere' | 'subcommand';
  readonly options: OptionTable;
  /** layout 'subcommand': the option table after each subcommand; `*` for the others. */
  readonly subcommandOptions?: Readonly<Record<string, OptionTable>>;
  /** tar: a first argument without a dash is a bundle of short options ("xvf"). */
  readonly oldStyleFirstArgument?: boolean;
  readonly subcommands?: SubcommandNames;
  /** Argument-level hardening (git has its own, tools/git-hardening.ts). */
  readonly hardening?: Hardening;
}

/** Other names of words in subcommand positions. */
export interface SubcommandNames {
  /** The tool's own aliases, by the canonical words before them ('' = the first word). */
  readonly aliases?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** First-word names the tool also accepts by any unique prefix (npm); an ambiguous prefix is all of them. */
  readonly abbreviate?: readonly string[];
  /** npm: "installTest" is "install-test". */
  readonly camelCase?: boolean;
  /**
   * Classes: a first word that does what another does is also read as that one, so a rule on
   * "push" catches "send-pack" (the word is read both ways; the most restrictive rule wins).
   */
  readonly classes?: Readonly<Record<string, readonly string[]>>;
}

export interface Hardening {
  /** Options refused wherever they appear (every spelling: clusters, abbreviations, --no-). */
  readonly refuseOptions?: readonly OptionRefusal[];
  /** Leading words refused (gh: ["alias", "set"]). */
  readonly refuseWords?: readonly WordRefusal[];
  /** Arguments put before the agent's (curl: -q must come first). */
  readonly prepend?: readonly string[];
  readonly env?: EnvEdits;
}

export interface OptionRefusal {
  /** "--to-command", "-I" */
  readonly options: readonly string[];
  /** Why, in a phrase: "runs a command of the caller's choosing". */
  readonly reason: string;
  /** What the caller can do instead, if anything. */
  readonly fix?: string;
}

export interface WordRefusal {
  readonly words: readonly string[];
  readonly reason: string;
  readonly fix?: string;
}

/** How the tool's environment differs from the caller's (applied around child-env.ts). */
export interface EnvEdits {
  /** Caller variables dropped: exact names, and prefixes ending in "*"; compared upper-cased. */
  readonly drop: readonly string[];
  /** Except these (exact names), even when a prefix above matches. */
  readonly keep?: readonly string[];
  /** Set by the server, after everything else (they win over the caller and the profile). */
  readonly set: Readonly<Record<string, string>>;
}
