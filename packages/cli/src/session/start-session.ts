// `shimgate run`'s set-up and tear-down: resolve the profile, lay out the session, start the server.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { basename, join } from 'node:path';
import pino from 'pino';
import {
  expansionContextFromProcess,
  profileDirsFromProcess,
  resolveProfile,
  type ResolvedProfile,
} from '@shimgate/profile';
import { createAuditReceiver, createMediationServer, openAuditLog, type AuditLog } from '@shimgate/server';
import { buildAgentEnv, sessionVariables } from './agent-env.js';
import { findRealBinary } from './real-binary.js';
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
import { installShims } from './shim-install.js';

export interface StartOptions {
  profile: string;
  workdir: string;
  name?: string;
  unconfined: boolean;
  agentCommand: string[];
}

export interface RunningSession {
  paths: SessionPaths;
  record: SessionRecord;
  profile: ResolvedProfile;
  agentEnv: Record<string, string>;
  audit: AuditLog;
  markRunning(sandboxedPid: number): void;
  stop(): Promise<void>;
}

export async function startSession(options: StartOptions): Promise<RunningSession> {
  const { profile } = resolveProfile(options.profile, {
    dirs: profileDirsFromProcess(),
    expansion: expansionContextFromProcess(options.workdir),
  });
  const uid = userInfo().uid;
  const root = ensureRuntimeRoot(runtimeRootPath(process.env, uid), uid);
  removeDeadSessions(root);
  const paths = sessionPaths(root, newSessionId());
  createSessionDirs(paths);
  try {
    return await startIn(paths, profile, options, uid);
  } catch (err) {
    removeSession(paths);
    throw err;
  }
}

async function startIn(paths: SessionPaths, profile: ResolvedProfile, options: StartOptions, uid: number): Promise<RunningSession> {
  const serverPath = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin';
  const mediated = profile.mediation.commands.map((c) => c.name);
  const audited = profile.mediation.audit.commands.filter((name) => !mediated.includes(name));
  const binaries = new Map<string, string | null>();
  for (const command of profile.mediation.commands) {
    binaries.set(command.name, findRealBinary(command.name, command.binary_path, serverPath, [paths.shimDir]));
  }
  for (const name of audited) binaries.set(name, findRealBinary(name, null, serverPath, [paths.shimDir]));
  installShims(paths, binaries);

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
  const audit = openAuditLog(record.audit_file, {
    session_id: record.id,
    session_name: record.name,
    supervisor_pid: record.supervisor_pid,
    sandboxed_pid: null,
  });
  const childEnv = { ...sessionVariables(paths, token, mediated, audited), PATH: `${paths.shimDir}:${serverPath}` };
  const server = createMediationServer({
    socketPath: paths.mediationSocket,
    token,
    agentUid: uid,
    runtime: { workdir: options.workdir, commands: commandTable(binaries, mediated), childEnv },
    audit,
    logger,
  });
  await server.listen();
  const auditReceiver = createAuditReceiver({ socketPath: paths.auditSocket, token, audit, logger });
  const agentEnv = buildAgentEnv({ base: process.env, paths, token, mediated, audited, block: profile.mediation.env.block });

  return {
    paths,
    record,
    profile,
    agentEnv,
    audit,
    markRunning(sandboxedPid) {
      record.sandboxed_pid = sandboxedPid;
      record.status = 'running';
      audit.setSandboxedPid(sandboxedPid);
      writeSessionRecord(paths, record);
    },
    async stop() {
      auditReceiver.close();
      await server.close();
      audit.close();
      logger.flush();
      removeSession(paths);
    },
  };
}

function commandTable(binaries: ReadonlyMap<string, string | null>, mediated: readonly string[]): Map<string, { binary: string | null }> {
  return new Map(mediated.map((name) => [name, { binary: binaries.get(name) ?? null }]));
}
