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
  createAuditReceiver,
  createBroker,
  createMediationServer,
  noAdminGate,
  openAuditLog,
  resolveCredentials,
  type AuditLog,
} from '@shimgate/server';
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
import { installFilteredShims, installShims } from './shim-install.js';

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
  const serverPath = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin';
  const mediated = profile.mediation.commands.map((c) => c.name);
  const audited = profile.mediation.audit.commands.filter((name) => !mediated.includes(name));
  const binaries = new Map<string, string | null>();
  for (const command of profile.mediation.commands) {
    binaries.set(command.name, findRealBinary(command.name, command.binary_path, serverPath, [paths.shimDir]));
  }
  for (const name of audited) binaries.set(name, findRealBinary(name, null, serverPath, [paths.shimDir]));
  const credentials = resolveCredentials(profile.mediation.commands, process.env);
  installShims(paths, binaries);
  const childPaths = new Map<string, string>();
  for (const command of profile.mediation.commands) {
    const allowed = command.sandbox.allow_commands;
    if (allowed.length === 0) continue;
    const dir = installFilteredShims(paths, command.name, [...binaries.keys()], allowed);
    const realDirs = allowed.map((name) => binaries.get(name)).filter((p): p is string => typeof p === 'string').map(dirname);
    childPaths.set(command.name, [dir, ...new Set(realDirs), serverPath].join(':'));
  }

  const audit = openAuditLog(record.audit_file, {
    session_id: record.id,
    session_name: record.name,
    supervisor_pid: record.supervisor_pid,
    sandboxed_pid: null,
    unconfined: record.unconfined,
  });
  const defaultChildPath = `${paths.shimDir}:${serverPath}`;
  const server = createMediationServer({
    socketPath: paths.mediationSocket,
    token,
    agentUid: uid,
    runtime: {
      sessionId: paths.id,
      workdir: options.workdir,
      profile,
      binaries,
      sessionEnv: { ...supervisorHomeVariables(process.env), ...sessionVariables(paths, token, mediated, audited) },
      childPath: (command) => childPaths.get(command) ?? defaultChildPath,
      credentials,
      broker: createBroker(),
      approvals: noAdminGate,
    },
    audit,
    logger,
  });
  await server.listen();
  const auditReceiver = createAuditReceiver({ socketPath: paths.auditSocket, token, audit, logger });
  // A credential read from the supervisor's environment must not reach the agent through it either.
  const credentialVars = profile.mediation.commands.flatMap((c) => Object.values(c.credentials)).flatMap((src) => ('env' in src ? [src.env] : []));
  const agentEnv = buildAgentEnv({ base: process.env, paths, token, mediated, audited, block: [...profile.mediation.env.block, ...credentialVars] });

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

/** The real command's HOME and XDG dirs are the supervisor's; the caller may not choose them. */
function supervisorHomeVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  const names = ['HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR'];
  return Object.fromEntries(names.flatMap((name) => (env[name] ? [[name, env[name] as string]] : [])));
}
