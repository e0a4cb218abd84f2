// One mediated call after intake: decide (policy/decide.ts), ask an admin when the rule wants one,
// act, audit, and report the exit status. Decisions are pure; this file is the I/O around them.
import type { Socket } from 'node:net';
import type { Action } from '@shimgate/profile';
import type { ApprovalAnswer, ApprovalGate } from './approval-gate.js';
import type { AuditActionType, AuditLog } from './audit-log.js';
import { callerMessage, writeToCaller } from './caller-output.js';
import { childEnvironment } from './child-env.js';
import type { ChildExit } from './child-reaper.js';
import type { Intake } from './connection-intake.js';
import type { CredentialTable } from './credentials.js';
import { closeFds } from './fd-receive.js';
import type { Broker } from './policy/broker.js';
import { decide, type Decision, type DecisionProfile } from './policy/decide.js';
import { scrubArgs } from './policy/scrub-args.js';
import { dropCallerVariables, setVariables } from './policy/tools/env-edits.js';
import { hardenCall, type Hardened, type ToolFacts } from './policy/tools/hardening.js';
import { toolSpecFor } from './policy/tools/index.js';
import { runRealBinary, type RunContext } from './real-binary-run.js';
import { callCwd } from './caller-cwd.js';
import { callerParent } from './caller-parent.js';
import { displayText, type WireText } from './shim-request.js';
import { ENV_SANDBOX_CONTEXT, EXIT_DENIED, EXIT_NOT_FOUND } from './wire.js';

export interface SessionRuntime {
  sessionId: string;
  workdir: string;
  profile: DecisionProfile;
  /** Mediated command name → its real binary (null: none was found at session start). */
  binaries: ReadonlyMap<string, string | null>;
  /** The SHIMGATE_* variables every mediated command gets, so its own children reach their shims. */
  sessionEnv: Readonly<Record<string, string>>;
  /** PATH for a mediated command's children: its filtered shim dir when it has allow_commands. */
  childPath(command: string): string;
  credentials: CredentialTable;
  broker: Broker;
  approvals: ApprovalGate;
  /** What the session learned at start about a command's tool (git's command list). */
  toolFacts(command: string): ToolFacts;
  /** What actually gets spawned to run `file` for `command`: its per-command sandbox in front of it. */
  sandboxed(command: string, file: string, argv: readonly (string | Buffer)[]): { file: string; argv: (string | Buffer)[] };
}

export interface CallOutcome {
  exitCode: number;
  signal: number | null;
}

interface Deps extends RunContext {
  runtime: SessionRuntime;
  audit: AuditLog;
}

type Accepted = Extract<Intake, { ok: true }>;

interface ActResult {
  action: AuditActionType;
  outcome: CallOutcome;
  childPid?: number | null;
  approval?: ApprovalAnswer | null;
  /** Why a tool spec refused the call. */
  reason?: string;
}

/** The call's argv and environment changes under its tool spec (tools/hardening.ts), when it has one. */
type ToolRun = Extract<Hardened<WireText>, { args: unknown }>;

export async function runCall(call: Accepted, socket: Socket, deps: Deps): Promise<CallOutcome> {
  try {
    return await decideActAudit(call, socket, deps);
  } finally {
    closeFds(call.fds);
  }
}

async function decideActAudit(call: Accepted, socket: Socket, deps: Deps): Promise<CallOutcome> {
  const { request } = call;
  const started = Date.now();
  const args = request.args.map(matchText);
  const parent = callerParent(request.env[ENV_SANDBOX_CONTEXT], call.peerPid, deps.runtime.broker);
  const decision = decide({ command: request.command, args, parent }, deps.runtime.profile);
  const r = await act(call, socket, decision, parent, deps);
  deps.audit.append({
    command_pid: call.peerPid,
    command: request.command,
    args: scrubArgs(request.args.map(displayText)),
    cwd: displayText(request.cwd),
    parent,
    action_type: r.action,
    rule: decision.kind === 'act' ? (decision.rule?.label ?? decision.via) : null,
    exit_code: r.outcome.signal === null ? r.outcome.exitCode : null,
    signal: r.outcome.signal,
    duration_ms: Date.now() - started,
    approval: r.approval ? approvalRecord(r.approval) : null,
    child_pid: r.childPid ?? null,
    ...(r.reason === undefined ? {} : { reason: r.reason }),
  });
  return r.outcome;
}

async function act(call: Accepted, socket: Socket, decision: Decision, parent: string | null, deps: Deps): Promise<ActResult> {
  const { request, fds } = call;
  const tell = (message: string): Promise<void> => writeToCaller(fds[2], callerMessage(request.command, message));
  if (decision.kind === 'unknown') {
    await tell('not a mediated command in this session');
    return { action: 'unknown', outcome: exited(EXIT_NOT_FOUND) };
  }
  if (decision.kind === 'refused') {
    await tell(`denied: ${decision.reason}`);
    return { action: 'denied', outcome: exited(EXIT_DENIED) };
  }
  const { action } = decision;
  // A tool spec's refusal comes before any admin is asked: no approval can make such a call safe.
  const tool = runsRealBinary(action) ? hardenedRun(request.command, request.args, deps.runtime) : null;
  if (tool !== null && 'refuse' in tool) {
    await tell(`denied: ${tool.refuse}`);
    return { action: 'denied', outcome: exited(EXIT_DENIED), reason: tool.refuse };
  }
  let approval: ApprovalAnswer | null = null;
  if (decision.admin || action.type === 'approve') {
    // While the request waits, a hang-up or a forwarded signal (Ctrl-C) withdraws it.
    const abort = new AbortController();
    const withdraw = (): void => abort.abort();
    const onData = (chunk: Buffer): void => {
      if (call.decoder.push(chunk).length > 0) withdraw();
    };
    socket.once('close', withdraw);
    socket.on('data', onData);
    socket.resume();
    try {
      approval = await deps.runtime.approvals.request({
        sessionId: deps.runtime.sessionId,
        command: request.command,
        args: scrubArgs(request.args.map(displayText)),
        cwd: displayText(request.cwd),
        parent,
        rule: decision.rule?.label ?? null,
        signal: abort.signal,
      });
    } finally {
      socket.off('close', withdraw);
      socket.off('data', onData);
      socket.pause();
    }
    if (!approval.approved || abort.signal.aborted) {
      if (approval.approved) approval = { approved: false, reason: 'withdrawn by the caller', approver: approval.approver };
      await tell(`denied: ${approval.reason}`);
      return { action: 'denied', outcome: exited(EXIT_DENIED), approval };
    }
  }
  const done = (r: Omit<ActResult, 'approval'>): ActResult => ({ ...r, approval });
  switch (action.type) {
    case 'respond':
      if (action.stdout) await writeToCaller(fds[1], action.stdout);
      if (action.stderr) await writeToCaller(fds[2], action.stderr);
      return done({ action: 'respond', outcome: exited(action.exit_code ?? 0) });
    case 'deny':
      await tell(`denied: ${action.message ?? 'refused by the profile'}`);
      return done({ action: 'deny', outcome: exited(action.exit_code ?? EXIT_DENIED) });
    case 'passthrough':
    case 'approve':
    case 'capture':
      return done(await runBinary(call, socket, action, deps, tool));
  }
}

function runsRealBinary(action: Action): boolean {
  return action.type === 'passthrough' || ((action.type === 'approve' || action.type === 'capture') && action.script === undefined);
}

/** null: the command has no tool spec (its args and environment run as they are). */
function hardenedRun(command: string, args: readonly WireText[], runtime: SessionRuntime): Hardened<WireText> | null {
  const resolved = runtime.profile.mediation.commands.find((c) => c.name === command);
  const spec = resolved === undefined ? null : toolSpecFor(resolved);
  return spec === null ? null : hardenCall(spec, args, runtime.toolFacts(command));
}

async function runBinary(
  call: Accepted,
  socket: Socket,
  action: Exclude<Action, { type: 'respond' | 'deny' }>,
  deps: Deps,
  tool: ToolRun | null,
): Promise<Omit<ActResult, 'approval'>> {
  const { request, fds } = call;
  const { runtime } = deps;
  const auditType: AuditActionType = action.type;
  const script = action.type === 'passthrough' ? undefined : action.script;
  const binary = runtime.binaries.get(request.command) ?? null;
  if (script === undefined && binary === null) {
    await writeToCaller(fds[2], callerMessage(request.command, 'command not found on the server'));
    return { action: 'unknown', outcome: exited(EXIT_NOT_FOUND) };
  }
  const args = (tool?.args ?? request.args).map((a) => runtime.broker.rewrite(a));
  const context = runtime.broker.newContext(request.command);
  // The tool spec drops caller variables before child-env.ts builds the environment (so credentials
  // and the server's own variables stay) and sets its own after it (so they win).
  const envPass = runtime.profile.mediation.commands.find((c) => c.name === request.command)?.sandbox.env_pass ?? [];
  const callerEnv = dropCallerVariables(rewriteEnv(request.env, runtime.broker), tool?.env);
  const env = setVariables(
    childEnvironment(callerEnv, {
      ...runtime.sessionEnv,
      PATH: runtime.childPath(request.command),
      ...(runtime.credentials.get(request.command) ?? {}),
      [ENV_SANDBOX_CONTEXT]: context,
    }, envPass),
    tool?.env,
  );
  const capture = action.type === 'capture';
  const cwd = callCwd(fds[3], request.cwd, runtime.workdir);
  let run;
  try {
    const launch = runtime.sandboxed(
      request.command,
      script === undefined ? (binary as string) : '/bin/sh',
      script === undefined ? [request.command, ...args] : ['sh', '-c', script, request.command, ...args],
    );
    const onSpawn = (pid: number): void => runtime.broker.bindContext(context, pid);
    run = await runRealBinary(call, socket, { ...launch, env, cwdFd: cwd.fd, captureStdout: capture, onSpawn }, deps);
  } catch (err) {
    await writeToCaller(fds[2], callerMessage(request.command, `cannot run ${script === undefined ? binary : 'its script'}: ${(err as Error).message}`));
    return { action: 'error', outcome: exited(EXIT_DENIED) };
  } finally {
    cwd.release();
    runtime.broker.revokeContext(context); // the command is gone: its context names no live parent
  }
  const outcome = fromExit(run.exit);
  if (!capture) return { action: auditType, outcome, childPid: run.pid };
  if (run.captured === null) {
    await writeToCaller(fds[2], callerMessage(request.command, 'denied: captured output is over the 1 MiB a secret may have'));
    return { action: 'capture', outcome: exited(EXIT_DENIED), childPid: run.pid };
  }
  if (outcome.exitCode !== 0) {
    // Withheld: a command that fails, or is signalled, after printing its secret must not hand it over.
    const how = outcome.signal !== null ? `was stopped by signal ${outcome.signal}` : `exited ${outcome.exitCode}`;
    await writeToCaller(fds[2], callerMessage(request.command, `capture failed: the command ${how}; its output is withheld (it may hold the secret)`));
    return { action: 'capture', outcome, childPid: run.pid };
  }
  const nonce = runtime.broker.storeSecret(trimWhitespace(run.captured));
  await writeToCaller(fds[1], `${nonce}\n`);
  return { action: 'capture', outcome, childPid: run.pid };
}

function rewriteEnv(env: Readonly<Record<string, WireText>>, broker: Broker): Record<string, WireText> {
  const out: Record<string, WireText> = Object.create(null);
  for (const name of Object.keys(env)) out[name] = broker.rewrite(env[name] as WireText);
  return out;
}

/** Args as the matcher sees them; bytes that are not UTF-8 cannot equal a profile's (UTF-8) tokens. */
function matchText(arg: WireText): string {
  return typeof arg === 'string' ? arg : arg.toString('latin1');
}

function trimWhitespace(bytes: Buffer): Buffer {
  let start = 0;
  let end = bytes.length;
  const space = (b: number | undefined): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
  while (start < end && space(bytes[start])) start += 1;
  while (end > start && space(bytes[end - 1])) end -= 1;
  return bytes.subarray(start, end);
}

function exited(code: number): CallOutcome {
  return { exitCode: code, signal: null };
}

function fromExit(exit: ChildExit): CallOutcome {
  return exit.signal !== null ? { exitCode: 128 + exit.signal, signal: exit.signal } : exited(exit.code ?? 0);
}

function approvalRecord(answer: ApprovalAnswer): Record<string, unknown> {
  return answer.approved
    ? { decision: 'approve', scope: answer.scope, approver: answer.approver, reason: answer.reason }
    : { decision: 'deny', approver: answer.approver, reason: answer.reason };
}

