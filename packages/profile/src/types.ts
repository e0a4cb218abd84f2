// The profile format of DESIGN §2, in two shapes:
//   ProfileDocument  what one file says (every field optional), after schema validation;
//   ResolvedProfile  what the rest of shimgate reads: bases merged, defaults filled, $VARs expanded.
//
// Meaning of absent / null / [] (the same in both shapes unless noted):
//   filesystem.*, allow_domain, env.block, audit.commands, fs_*, allowed_hosts, allow_commands,
//   flags_with_values: absent = [] = nothing granted / listed.
//   tool: absent = the built-in tool spec named like the command, if there is one (git, gh, kubectl,
//     npm, tar, curl), else none; null = none, even for a command named like a spec; a name = that spec.
//     Resolved: the spec's name or null.
//   network.block, sandbox.network.block: absent = false.
//   caller_policy.agent_allowed: absent = true (the agent may call the command directly).
//   caller_policy.allowed_parents: absent = null = any parent may call it; [] = no parent may;
//     a list = only those parents.
//   intercept[].args_prefix: absent = [] = the rule matches every call of the command.
//   intercept[].args_must_include: absent = [] = no further condition.
//   binary_path: absent = resolved on PATH at session start.
//   approval.timeout_secs: absent = 300.
//   sandbox.landlock: absent = "required"; merging keeps "required" if either side says it.
//   workdir.access: absent = "readwrite".

export type WorkdirAccess = 'none' | 'read' | 'readwrite';

export interface PassthroughAction { type: 'passthrough' }
export interface RespondAction { type: 'respond'; stdout?: string; stderr?: string; exit_code?: number }
export interface CaptureAction { type: 'capture'; script?: string }
export interface ApproveAction { type: 'approve'; script?: string }
export interface DenyAction { type: 'deny'; message?: string; exit_code?: number }
export type Action = PassthroughAction | RespondAction | CaptureAction | ApproveAction | DenyAction;
export type ActionType = Action['type'];

export interface InterceptRule {
  args_prefix?: string[];
  args_must_include?: string[];
  admin?: boolean;
  action: Action;
}

export type CredentialSource = { file: string } | { env: string } | { command: string[] };

export interface CallerPolicy {
  agent_allowed?: boolean;
  allowed_parents?: string[] | null;
}

export interface CommandSandbox {
  fs_read?: string[];
  fs_read_file?: string[];
  fs_write?: string[];
  fs_write_file?: string[];
  /** What the command may execute besides its binary and its interpreters (files or dirs). */
  exec?: string[];
  network?: { block?: boolean; allowed_hosts?: string[] };
  allow_commands?: string[];
  landlock?: LandlockRequirement;
  env_pass?: string[];
}

/** Whether a kernel without Landlock refuses the command ("required") or runs it without it. */
export type LandlockRequirement = 'required' | 'optional';

export interface MediatedCommand {
  name: string;
  binary_path?: string;
  flags_with_values?: string[];
  tool?: ToolName | null;
  intercept?: InterceptRule[];
  sandbox?: CommandSandbox;
  credentials?: Record<string, CredentialSource>;
  caller_policy?: CallerPolicy;
}

export interface FilesystemPolicy {
  read?: string[];
  write?: string[];
  read_file?: string[];
  write_file?: string[];
  deny?: string[];
}

export interface ProfileDocument {
  $schema?: string;
  extends?: string | string[];
  meta?: { name?: string; description?: string };
  workdir?: { access?: WorkdirAccess };
  filesystem?: FilesystemPolicy;
  network?: { block?: boolean; allow_domain?: string[] };
  mediation?: {
    commands?: MediatedCommand[];
    env?: { block?: string[] };
    audit?: { commands?: string[] };
    approval?: { timeout_secs?: number };
  };
}

export interface ResolvedCommand {
  name: string;
  binary_path: string | null;
  flags_with_values: string[];
  tool: ToolName | null;
  intercept: ResolvedRule[];
  sandbox: {
    fs_read: string[];
    fs_read_file: string[];
    fs_write: string[];
    fs_write_file: string[];
    /** Files or dirs it may execute besides its binary and interpreters; [] = nothing else. */
    exec: string[];
    network: { block: boolean; allowed_hosts: string[] };
    allow_commands: string[];
    landlock: LandlockRequirement;
    /** Caller variables passed on besides the built-in allow-list; [] = only the allow-list. */
    env_pass: string[];
  };
  credentials: Record<string, CredentialSource>;
  caller_policy: { agent_allowed: boolean; allowed_parents: string[] | null };
}

export interface ResolvedRule {
  args_prefix: string[];
  args_must_include: string[];
  admin: boolean;
  action: Action;
}

export interface ResolvedProfile {
  meta: { name: string; description: string };
  workdir: { access: WorkdirAccess };
  filesystem: Required<FilesystemPolicy>;
  network: { block: boolean; allow_domain: string[] };
  mediation: {
    commands: ResolvedCommand[];
    env: { block: string[] };
    audit: { commands: string[] };
    approval: { timeout_secs: number };
  };
}

export const DEFAULT_APPROVAL_TIMEOUT_SECS = 300;

/** The built-in tool specs (the server's policy/tools/); the schema's `tool` enum lists the same names. */
export const TOOL_NAMES = ['git', 'gh', 'kubectl', 'npm', 'tar', 'curl'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];
