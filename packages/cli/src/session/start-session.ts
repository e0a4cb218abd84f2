// `shimgate run`'s set-up and tear-down: resolve the profile, lay out the session, start the server.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import pino from 'pino';
import {
  expansionContextFromProcess,
  profileDirsFromProcess,
  resolveProfile,
  type ResolvedProfile,
} from '@shimgate/profile';
import {
  createApprovalQueue,
  createAuditReceiver,
  createControlServer,
  createMediationServer,
  openAuditLog,
  type AuditLog,
} from '@shimgate/server';
import { buildAgentEnv } from './agent-env.js';
import { ensureRuntimeRoot, runtimeRootPath } from './runtime-root.js';
import {
  createSessionDirs,
  newSessionId,
  removeDeadSessions,
  removeSession,
  sessionPaths,
  writeSessionRecord,
  type SessionPaths,
  type SessionRecord,
} from './session-files.js';
import { setUpCommands } from './session-runtime.js';

export interface StartOptions {
  profile: string;
  workdir: string;
  name?: string;
  unconfined: boolean;
  agentCommand: string[];
}

export interface RunningSession {
  paths: SessionPaths;
  runtimeRoot: string;
  /** shimgate's state dir (audit log, server logs): hidden from the agent. */
  stateDir: string;
  mediatedBinaries: string[];
  record: SessionRecord;
  profile: ResolvedProfile;
  /** Every profile file that took part (real paths), bases first. */
  profileSources: string[];
  agentEnv: Record<string, string>;
  audit: AuditLog;
  markRunning(sandboxedPid: number): void;
  stop(): Promise<void>;
}

export async function startSession(options: StartOptions): Promise<RunningSession> {
  const { profile, sources } = resolveProfile(options.profile, {
    dirs: profileDirsFromProcess(),
    expansion: expansionContextFromProcess(options.workdir),
  });
  const uid = userInfo().uid;
  const root = ensureRuntimeRoot(runtimeRootPath(process.env, uid), uid);
  removeDeadSessions(root);
  const paths = sessionPaths(root, newSessionId());
  createSessionDirs(paths);
  try {
    return await startIn(paths, profile, sources, options, uid);
  } catch (err) {
    removeSession(paths);
    throw err;
  }
}

async function startIn(paths: SessionPaths, profile: ResolvedProfile, profileSources: string[], options: StartOptions, uid: number): Promise<RunningSession> {
  // session.json first: until it names a live supervisor, a concurrent start may take the dir for dead.
  const token = randomBytes(32).toString('hex');
  const stateDir = join(process.env.XDG_STATE_HOME || join(process.env.HOME || homedir(), '.local', 'state'), 'shimgate');
  mkdirSync(join(stateDir, 'logs'), { recursive: true, mode: 0o700 });
  const logger = pino(pino.destination({ dest: join(stateDir, 'logs', `${paths.id}.log`), sync: true, mode: 0o600 }));
  const record: SessionRecord = {
    id: paths.id,
    name: options.name ?? basename(options.agentCommand[0] ?? 'agent'),
    profile: options.profile,
    workdir: options.workdir,
    supervisor_pid: process.pid,
    sandboxed_pid: null,
    started_at: new Date().toISOString(),
    control_socket: paths.controlSocket,
    status: 'starting',
    unconfined: options.unconfined,
    agent_command: options.agentCommand,
    audit_file: join(stateDir, 'audit', `${paths.id}.jsonl`),
  };
  writeSessionRecord(paths, record);
  const commands = setUpCommands(paths, profile, options.workdir, token);
  for (const { command, path } of commands.missingSandboxPaths) {
    process.stderr.write(`shimgate: sandbox of ${command}: ${path} does not exist, skipping it\n`);
  }
  const audit = openAuditLog(record.audit_file, {
    session_id: record.id,
    session_name: record.name,
    supervisor_pid: record.supervisor_pid,
    sandboxed_pid: null,
    unconfined: record.unconfined,
  });
  const approvals = createApprovalQueue({
    sessionId: record.id,
    sessionName: record.name,
    timeoutSecs: profile.mediation.approval.timeout_secs,
    audit,
  });
  commands.runtime.approvals = approvals;
  const control = createControlServer({ socketPath: paths.controlSocket, adminUid: uid, queue: approvals, audit, status: () => ({ ...record }), logger });
  await control.listen();
  const server = createMediationServer({
    socketPath: paths.mediationSocket,
    token,
    agentUid: uid,
    runtime: commands.runtime,
    audit,
    logger,
  });
  await server.listen();
  const auditReceiver = createAuditReceiver({ socketPath: paths.auditSocket, token, audit, logger });
  // A credential read from the supervisor's environment must not reach the agent through it either.
  const credentialVars = profile.mediation.commands.flatMap((c) => Object.values(c.credentials)).flatMap((src) => ('env' in src ? [src.env] : []));
  const agentEnv = buildAgentEnv({ base: process.env, paths, token, mediated: commands.mediated, audited: commands.audited, block: [...profile.mediation.env.block, ...credentialVars] });

  return {
    paths,
    runtimeRoot: dirname(dirname(paths.dir)),
    stateDir,
    mediatedBinaries: commands.mediatedBinaries,
    record,
    profile,
    profileSources,
    agentEnv,
    audit,
    markRunning(sandboxedPid) {
      record.sandboxed_pid = sandboxedPid;
      record.status = 'running';
      audit.setSandboxedPid(sandboxedPid);
      writeSessionRecord(paths, record);
    },
    async stop() {
      approvals.close();
      auditReceiver.close();
      await server.close();
      await control.close();
      audit.close();
      logger.flush();
      removeSession(paths);
    },
  };
}
