// base ⊕ child for profile documents (DESIGN §2.2). Pure: the result shares no objects or arrays
// with its inputs. Every rule is idempotent (merge(merge(a, b), b) = merge(a, b)), which is what lets
// a diamond reach the same base twice. A key absent on both sides stays absent, so `profile show`
// prints only what the files say; defaults come later, in normalizeProfile.
import type {
  CallerPolicy,
  CommandSandbox,
  CredentialSource,
  FilesystemPolicy,
  InterceptRule,
  MediatedCommand,
  ProfileDocument,
} from './types.js';

type Mediation = NonNullable<ProfileDocument['mediation']>;
type SandboxNetwork = NonNullable<CommandSandbox['network']>;

/** `extends` and `$schema` are dropped: by the time documents merge, resolution has happened. */
export function mergeProfiles(base: ProfileDocument, child: ProfileDocument): ProfileDocument {
  return definedOnly({
    meta: section(base.meta, child.meta, (b, c) =>
      definedOnly({ name: c.name ?? b.name, description: c.description ?? b.description }),
    ),
    workdir: section(base.workdir, child.workdir, (b, c) => definedOnly({ access: c.access ?? b.access })),
    filesystem: section(base.filesystem, child.filesystem, mergeFilesystem),
    network: section(base.network, child.network, (b, c) =>
      definedOnly({ block: either(b.block, c.block), allow_domain: union(b.allow_domain, c.allow_domain) }),
    ),
    mediation: section(base.mediation, child.mediation, mergeMediation),
  });
}

function mergeFilesystem(b: FilesystemPolicy, c: FilesystemPolicy): FilesystemPolicy {
  return definedOnly({
    read: union(b.read, c.read),
    write: union(b.write, c.write),
    read_file: union(b.read_file, c.read_file),
    write_file: union(b.write_file, c.write_file),
    deny: union(b.deny, c.deny),
  });
}

function mergeMediation(b: Mediation, c: Mediation): Mediation {
  return definedOnly({
    commands: mergeCommandLists(b.commands, c.commands),
    env: section(b.env, c.env, (x, y) => definedOnly({ block: union(x.block, y.block) })),
    audit: section(b.audit, c.audit, (x, y) => definedOnly({ commands: union(x.commands, y.commands) })),
    approval: section(b.approval, c.approval, (x, y) =>
      definedOnly({ timeout_secs: y.timeout_secs ?? x.timeout_secs }),
    ),
  });
}

// Base names keep their order, names new in the child follow. A name repeated inside one list
// (which the schema cannot forbid) folds into its first occurrence as if the later entry were a child.
function mergeCommandLists(
  base: readonly MediatedCommand[] | undefined,
  child: readonly MediatedCommand[] | undefined,
): MediatedCommand[] | undefined {
  if (base === undefined && child === undefined) return undefined;
  const out: MediatedCommand[] = [];
  const at = new Map<string, number>();
  const childNames = new Set((child ?? []).map((cmd) => cmd.name));
  for (const cmd of [...(base ?? []), ...(child ?? [])]) {
    const i = at.get(cmd.name);
    if (i === undefined && !childNames.has(cmd.name)) {
      // Untouched by the child: merged values are never mutated, so share it instead of copying
      // (a 16-file chain of 500 commands spent most of its time re-copying these).
      at.set(cmd.name, out.length);
      out.push(cmd);
    } else if (i === undefined) {
      at.set(cmd.name, out.length);
      out.push(mergeCommand({ name: cmd.name }, cmd));
    } else {
      out[i] = mergeCommand(out[i]!, cmd);
    }
  }
  return out;
}

function mergeCommand(b: MediatedCommand, c: MediatedCommand): MediatedCommand {
  return definedOnly({
    name: b.name,
    binary_path: c.binary_path ?? b.binary_path,
    flags_with_values: union(b.flags_with_values, c.flags_with_values),
    tool: c.tool !== undefined ? c.tool : b.tool, // child wins, null included
    intercept: mergeIntercept(b.intercept, c.intercept),
    sandbox: section(b.sandbox, c.sandbox, mergeSandbox),
    credentials: mergeCredentials(b.credentials, c.credentials),
    caller_policy: section(b.caller_policy, c.caller_policy, mergeCallerPolicy),
  });
}

// Rules match first-wins, so the child's rules go in front. A child that restates an args_prefix
// replaces every base rule with that prefix (compared element-wise; absent = []).
function mergeIntercept(
  base: readonly InterceptRule[] | undefined,
  child: readonly InterceptRule[] | undefined,
): InterceptRule[] | undefined {
  if (base === undefined && child === undefined) return undefined;
  const childPrefixes = (child ?? []).map((r) => r.args_prefix ?? []);
  const kept = (base ?? []).filter((r) => !childPrefixes.some((p) => samePrefix(p, r.args_prefix ?? [])));
  return [...(child ?? []), ...kept].map(copyRule);
}

function samePrefix(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((token, i) => token === b[i]);
}

function copyRule(rule: InterceptRule): InterceptRule {
  return definedOnly({
    args_prefix: copyList(rule.args_prefix),
    args_must_include: copyList(rule.args_must_include),
    admin: rule.admin,
    action: { ...rule.action },
  });
}

function mergeSandbox(b: CommandSandbox, c: CommandSandbox): CommandSandbox {
  return definedOnly({
    fs_read: union(b.fs_read, c.fs_read),
    fs_read_file: union(b.fs_read_file, c.fs_read_file),
    fs_write: union(b.fs_write, c.fs_write),
    fs_write_file: union(b.fs_write_file, c.fs_write_file),
    exec: union(b.exec, c.exec),
    network: section(b.network, c.network, (x: SandboxNetwork, y: SandboxNetwork) =>
      definedOnly({ block: either(x.block, y.block), allowed_hosts: union(x.allowed_hosts, y.allowed_hosts) }),
    ),
    allow_commands: union(b.allow_commands, c.allow_commands),
    landlock: b.landlock === 'required' || c.landlock === 'required' ? 'required' : (c.landlock ?? b.landlock),
    env_pass: union(b.env_pass, c.env_pass),
  });
}

// Keys are names the profile author chose (could be "__proto__"): keep them in a null-prototype map.
function mergeCredentials(
  base: Readonly<Record<string, CredentialSource>> | undefined,
  child: Readonly<Record<string, CredentialSource>> | undefined,
): Record<string, CredentialSource> | undefined {
  if (base === undefined && child === undefined) return undefined;
  const out = Object.create(null) as Record<string, CredentialSource>;
  for (const [key, source] of [...Object.entries(base ?? {}), ...Object.entries(child ?? {})]) {
    out[key] = copyCredential(source);
  }
  return out;
}

function copyCredential(source: CredentialSource): CredentialSource {
  if ('file' in source) return { file: source.file };
  if ('env' in source) return { env: source.env };
  return { command: [...source.command] };
}

// Restrictive wins: both sides must allow the agent; parent lists intersect.
function mergeCallerPolicy(b: CallerPolicy, c: CallerPolicy): CallerPolicy {
  const agentAllowed =
    b.agent_allowed === undefined && c.agent_allowed === undefined
      ? undefined
      : (b.agent_allowed ?? true) && (c.agent_allowed ?? true);
  return definedOnly({ agent_allowed: agentAllowed, allowed_parents: intersectParents(b.allowed_parents, c.allowed_parents) });
}

/** null and absent both mean "any parent"; the result is absent when both sides say so. */
function intersectParents(
  base: readonly string[] | null | undefined,
  child: readonly string[] | null | undefined,
): string[] | undefined {
  if (base == null) return child == null ? undefined : union(child, undefined);
  if (child == null) return union(base, undefined);
  const allowed = new Set(child);
  return union(base.filter((p) => allowed.has(p)), undefined);
}

/** Dedup-append: base order first, then the child's new items. Absent when both are absent. */
function union(base: readonly string[] | undefined, child: readonly string[] | undefined): string[] | undefined {
  if (base === undefined && child === undefined) return undefined;
  return [...new Set([...(base ?? []), ...(child ?? [])])];
}

/** OR of two restrictive flags. Absent when both are absent. */
function either(base: boolean | undefined, child: boolean | undefined): boolean | undefined {
  if (base === undefined && child === undefined) return undefined;
  return base === true || child === true;
}

function copyList(list: readonly string[] | undefined): string[] | undefined {
  return list === undefined ? undefined : [...list];
}

/** Merges a sub-object present on either side; absent on both stays absent. */
function section<T extends object>(
  base: T | undefined,
  child: T | undefined,
  merge: (base: Partial<T>, child: Partial<T>) => T,
): T | undefined {
  if (base === undefined && child === undefined) return undefined;
  return merge(base ?? {}, child ?? {});
}

/** A copy of `obj` without its undefined-valued keys, so absent stays absent in the output. */
function definedOnly<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
