// `shimgate doctor`: every precondition of a sandboxed session, one line each, with the fix.
import { accessSync, constants } from 'node:fs';
import { userInfo } from 'node:os';
import type { Argv } from 'yargs';
import {
  AGENT_SCOPE_PATH,
  BUILT_SHIM_PATH,
  EXEC_HELPER_PATH,
  probeAgentScope,
  probeBwrap,
  probeExecHelper,
  probeUserNamespaces,
  type ProbeResult,
} from '@shimgate/sandbox';
import type { ExitCodeSink } from '../exit-code.js';
import { HOST_SOCKET_FIX, hostSocketWarnings } from '../session/host-sockets.js';
import { runtimeRootPath, runtimeRootProblem } from '../session/runtime-root.js';

export function registerDoctorCommand(cli: Argv, exit: ExitCodeSink): void {
  cli.command('doctor', 'check that this machine can run sandboxed sessions; exit 1 if anything fails', {}, () => {
    const checks = runChecks();
    const width = Math.max(...checks.map(([name]) => name.length));
    for (const [name, result] of checks) {
      const line = `${result.ok ? 'OK  ' : 'FAIL'}  ${name.padEnd(width)}  ${result.detail}`;
      process.stdout.write(result.ok ? `${line}\n` : `${line}\n      ${' '.repeat(width)}  fix: ${result.fix}\n`);
    }
    // Warnings do not fail the check: the sandbox copes, but the admin should know.
    for (const warning of hostSocketWarnings(process.env)) {
      process.stdout.write(`WARN  ${warning}\n      fix: ${HOST_SOCKET_FIX}\n`);
    }
    exit.code = checks.every(([, r]) => r.ok) ? 0 : 1;
  });
}

/** The first Landlock ABI with signal and abstract-socket scopes (shim/landlock-rules.h). */
const LANDLOCK_ABI_SCOPES = 6;

function runChecks(): [string, ProbeResult][] {
  const helper = probeExecHelper(EXEC_HELPER_PATH);
  const landlock: ProbeResult = !helper.ok
    ? { ok: false, detail: 'unknown: the sandbox helper could not be asked', fix: helper.fix }
    : helper.landlockAbi >= LANDLOCK_ABI_SCOPES
      ? { ok: true, detail: `ABI ${helper.landlockAbi}` }
      : helper.landlockAbi > 0
        ? {
            ok: false,
            detail: `ABI ${helper.landlockAbi}, without the scopes of ABI ${LANDLOCK_ABI_SCOPES}: a command could signal processes and reach abstract sockets outside its sandbox, so every command whose sandbox requires Landlock is refused`,
            fix: `boot a kernel with Landlock ABI ${LANDLOCK_ABI_SCOPES} or later (Linux 6.12+), or set sandbox.landlock: "optional" per command`,
          }
        : {
          ok: false,
          detail: 'not available in this kernel: commands whose sandbox requires it are refused',
          fix: 'boot a kernel with Landlock enabled (CONFIG_SECURITY_LANDLOCK=y and "landlock" in lsm=), or set sandbox.landlock: "optional" per command',
        };
  const seccomp: ProbeResult = !helper.ok
    ? { ok: false, detail: 'unknown: the sandbox helper could not be asked', fix: helper.fix }
    : helper.seccomp === 'ok'
      ? { ok: true, detail: 'filters can be installed' }
      : { ok: false, detail: helper.seccomp, fix: 'use a kernel with CONFIG_SECCOMP_FILTER=y' };
  return [
    ['bubblewrap', probeBwrap()],
    ['user namespaces', probeUserNamespaces()],
    ['Landlock', landlock],
    ['seccomp', seccomp],
    ['shim', builtProgram(BUILT_SHIM_PATH)],
    ['sandbox helper', helper.ok ? { ok: true, detail: EXEC_HELPER_PATH } : helper],
    ['Landlock scopes', probeAgentScope(AGENT_SCOPE_PATH)],
    ['runtime root', runtimeRootCheck()],
  ];
}

function builtProgram(path: string): ProbeResult {
  try {
    accessSync(path, constants.X_OK);
    return { ok: true, detail: path };
  } catch {
    return { ok: false, detail: `${path} is missing or not executable`, fix: 'run "npm run build" (npm ci does it)' };
  }
}

function runtimeRootCheck(): ProbeResult {
  const uid = userInfo().uid;
  const root = runtimeRootPath(process.env, uid);
  const problem = runtimeRootProblem(root, uid);
  if (problem === null) return { ok: true, detail: `${root} (yours, mode 700)` };
  if (problem === 'does not exist') return { ok: true, detail: `${root} (created at the first run)` };
  return { ok: false, detail: `${root} ${problem.split(':')[0]}`, fix: problem.includes(':') ? problem.slice(problem.indexOf(':') + 1).trim() : `remove ${root}` };
}
