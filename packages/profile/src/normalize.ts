// ProfileDocument → ResolvedProfile: every default of the types.ts header filled in, every object
// rebuilt with its keys in the order ResolvedProfile declares them, so JSON.stringify is stable.
// Pure; the result shares nothing with the input. Lists are copied as they are (merge dedups).
import {
  DEFAULT_APPROVAL_TIMEOUT_SECS,
  TOOL_NAMES,
  type ToolName,
  type Action,
  type CredentialSource,
  type InterceptRule,
  type MediatedCommand,
  type ProfileDocument,
  type ResolvedCommand,
  type ResolvedProfile,
  type ResolvedRule,
} from './types.js';

export function normalizeProfile(doc: ProfileDocument): ResolvedProfile {
  const fs = doc.filesystem ?? {};
  const mediation = doc.mediation ?? {};
  return {
    meta: { name: doc.meta?.name ?? '', description: doc.meta?.description ?? '' },
    workdir: { access: doc.workdir?.access ?? 'readwrite' },
    filesystem: {
      read: list(fs.read),
      write: list(fs.write),
      read_file: list(fs.read_file),
      write_file: list(fs.write_file),
      deny: list(fs.deny),
    },
    network: { block: doc.network?.block ?? false, allow_domain: list(doc.network?.allow_domain) },
    mediation: {
      commands: (mediation.commands ?? []).map(normalizeCommand),
      env: { block: list(mediation.env?.block) },
      audit: { commands: list(mediation.audit?.commands) },
      approval: { timeout_secs: mediation.approval?.timeout_secs ?? DEFAULT_APPROVAL_TIMEOUT_SECS },
    },
  };
}

function normalizeCommand(cmd: MediatedCommand): ResolvedCommand {
  const sandbox = cmd.sandbox ?? {};
  return {
    name: cmd.name,
    binary_path: cmd.binary_path ?? null,
    flags_with_values: list(cmd.flags_with_values),
    tool: cmd.tool === undefined ? toolNamed(cmd.name) : cmd.tool,
    intercept: (cmd.intercept ?? []).map(normalizeRule),
    sandbox: {
      fs_read: list(sandbox.fs_read),
      fs_read_file: list(sandbox.fs_read_file),
      fs_write: list(sandbox.fs_write),
      fs_write_file: list(sandbox.fs_write_file),
      exec: list(sandbox.exec),
      network: { block: sandbox.network?.block ?? false, allowed_hosts: list(sandbox.network?.allowed_hosts) },
      allow_commands: list(sandbox.allow_commands),
      landlock: sandbox.landlock ?? 'required',
      env_pass: list(sandbox.env_pass),
    },
    credentials: normalizeCredentials(cmd.credentials),
    caller_policy: {
      agent_allowed: cmd.caller_policy?.agent_allowed ?? true,
      allowed_parents: cmd.caller_policy?.allowed_parents == null ? null : [...cmd.caller_policy.allowed_parents],
    },
  };
}

/** The spec a command named `name` gets when its profile says nothing: the one of the same name, if any. */
function toolNamed(name: string): ToolName | null {
  return (TOOL_NAMES as readonly string[]).includes(name) ? (name as ToolName) : null;
}

function normalizeRule(rule: InterceptRule): ResolvedRule {
  return {
    args_prefix: list(rule.args_prefix),
    args_must_include: list(rule.args_must_include),
    admin: rule.admin ?? false,
    action: normalizeAction(rule.action),
  };
}

// Optional action fields (deny's exit_code, respond's output) stay absent: their defaults belong to
// the action that runs them (DESIGN §4.3), and ResolvedRule keeps Action's optional shape.
function normalizeAction(action: Action): Action {
  switch (action.type) {
    case 'passthrough':
      return { type: 'passthrough' };
    case 'respond':
      return definedOnly({ type: 'respond', stdout: action.stdout, stderr: action.stderr, exit_code: action.exit_code });
    case 'capture':
      return definedOnly({ type: 'capture', script: action.script });
    case 'approve':
      return definedOnly({ type: 'approve', script: action.script });
    case 'deny':
      return definedOnly({ type: 'deny', message: action.message, exit_code: action.exit_code });
  }
}

// Keys are author-chosen names (could be "__proto__"): a null-prototype map keeps them plain data.
function normalizeCredentials(
  credentials: Readonly<Record<string, CredentialSource>> | undefined,
): Record<string, CredentialSource> {
  const out = Object.create(null) as Record<string, CredentialSource>;
  for (const [key, source] of Object.entries(credentials ?? {})) {
    if ('file' in source) out[key] = { file: source.file };
    else if ('env' in source) out[key] = { env: source.env };
    else out[key] = { command: [...source.command] };
  }
  return out;
}

function list(items: readonly string[] | undefined): string[] {
  return items === undefined ? [] : [...items];
}

function definedOnly<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
