// One mediated call after intake: decide what runs, run it on the caller's fds, audit, report.
import { statSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { AuditActionType, AuditLog } from './audit-log.js';
import { callerMessage, writeToCaller } from './caller-stderr.js';
import { childEnvironment } from './child-env.js';
import type { ChildReaper } from './child-reaper.js';
import { closeFds } from './fd-receive.js';
import type { FrameResult } from './frame-decoder.js';
import type { Intake } from './connection-intake.js';
import { signalProcessGroup } from './process-group.js';
import { displayText, type WireText } from './shim-request.js';
import { spawnWithFds } from './spawn-with-fds.js';
import { EXIT_NOT_FOUND } from './wire.js';

export interface SessionRuntime {
  workdir: string;
  /** Mediated command name → its real binary (null: none was found at session start). */
  commands: ReadonlyMap<string, { binary: string | null }>;
  /** Set for every child last, over the caller's environment: PATH and the SHIMGATE_* variables. */
  childEnv: Readonly<Record<string, string>>;
}

export interface CallOutcome {
  exitCode: number;
  signal: number | null;
}

interface Deps {
  runtime: SessionRuntime;
  reaper: ChildReaper;
  logger: Logger;
  audit: AuditLog;
}

type Accepted = Extract<Intake, { ok: true }>;

/** Signals a shim may forward (DESIGN §4.1); anything else in a signal frame is ignored. */
const FORWARDED_SIGNALS = new Set([1, 2, 3, 15]);
/** After the shim disconnects, the child gets SIGTERM, then SIGKILL this much later. */
const KILL_GRACE_MS = 2000;

export async function runCall(call: Accepted, socket: Socket, deps: Deps): Promise<CallOutcome> {
  const { request, fds } = call;
  const started = Date.now();
  const target = deps.runtime.commands.get(request.command);
  if (!target || target.binary === null) {
    const why = target ? 'command not found on the server' : 'not a mediated command in this session';
    writeToCaller(fds[2], callerMessage(request.command, why));
    closeFds(fds);
    return finish(deps, call, started, 'unknown', null, { exitCode: EXIT_NOT_FOUND, signal: null });
  }
  const cwd = usableCwd(request.cwd, deps.runtime.workdir, () =>
    writeToCaller(fds[2], callerMessage(request.command, `cwd ${displayText(request.cwd)} is not a directory; running in ${deps.runtime.workdir}`)),
  );
  let pid: number;
  try {
    pid = spawnWithFds({
      file: target.binary,
      argv: [request.command, ...request.args],
      env: childEnvironment(request.env, deps.runtime.childEnv),
      cwd,
      stdio: fds,
      newSession: true,
    });
  } finally {
    closeFds(fds); // the child holds its own copies; ours would keep the caller's pipes open
  }
  const exit = deps.reaper.watch(pid);
  const stopFollowing = followShim(socket, call, pid, deps.logger);
  const status = await exit;
  stopFollowing();
  const outcome = status.signal !== null ? { exitCode: 128 + status.signal, signal: status.signal } : { exitCode: status.code ?? 0, signal: null };
  return finish(deps, call, started, 'passthrough', pid, outcome);
}

/** Forwards the shim's signal frames to the child's group; kills the group if the shim goes away. */
function followShim(socket: Socket, call: Accepted, pid: number, logger: Logger): () => void {
  let done = false;
  let killTimer: NodeJS.Timeout | undefined;
  const onFrames = (frames: FrameResult[]): void => {
    for (const frame of frames) {
      const signal = frame.ok ? (frame.value as { signal?: unknown } | null)?.signal : undefined;
      if (typeof signal === 'number' && FORWARDED_SIGNALS.has(signal)) signalProcessGroup(pid, signal);
      else logger.warn({ pid }, 'ignored a frame from the shim that is not a forwarded signal');
    }
  };
  const onGone = (): void => {
    if (done) return;
    signalProcessGroup(pid, 15);
    killTimer = setTimeout(() => signalProcessGroup(pid, 9), KILL_GRACE_MS);
    killTimer.unref();
  };
  const onData = (chunk: Buffer): void => onFrames(call.decoder.push(chunk));
  onFrames(call.rest);
  socket.on('data', onData);
  socket.on('end', onGone);
  socket.on('close', onGone);
  socket.resume();
  return () => {
    done = true;
    if (killTimer) clearTimeout(killTimer);
    socket.off('data', onData);
    socket.off('end', onGone);
    socket.off('close', onGone);
  };
}

function usableCwd(cwd: WireText, workdir: string, warn: () => void): string {
  const path = typeof cwd === 'string' ? cwd : cwd.toString('latin1');
  try {
    if (path !== '' && typeof cwd === 'string' && statSync(path).isDirectory()) return path;
  } catch {
    // fall through to the workdir
  }
  warn();
  return workdir;
}

function finish(deps: Deps, call: Accepted, started: number, action: AuditActionType, pid: number | null, outcome: CallOutcome): CallOutcome {
  deps.audit.append({
    command_pid: call.peerPid,
    command: call.request.command,
    args: call.request.args.map(displayText),
    cwd: displayText(call.request.cwd),
    parent: null,
    action_type: action,
    rule: null,
    exit_code: outcome.signal === null ? outcome.exitCode : null,
    signal: outcome.signal,
    duration_ms: Date.now() - started,
    approval: null,
    child_pid: pid,
  });
  return outcome;
}
