// Can this machine build the sandboxes? Each probe really tries (runs bwrap, runs the helper) and,
// when the answer is no, says exactly what failed and one concrete way to fix it. Used by
// `shimgate doctor` and by `shimgate run` before it starts an agent.
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export type ProbeResult = { ok: true; detail: string } | { ok: false; detail: string; fix: string };
export type ProbeFailure = Extract<ProbeResult, { ok: false }>;

export type HelperProbe = { ok: true; landlockAbi: number; seccomp: string; detail: string } | ProbeFailure;

const PROBE_TIMEOUT_MS = 10_000;
const USERNS_FIX = 'sysctl -w user.max_user_namespaces=15000 (persist it in /etc/sysctl.d/), or run shimgate as root';
const BUILD_FIX = 'npm run build (builds shim/build/shimgate-sandbox-exec; needs a C compiler: apt-get install build-essential)';

/** The same kind of sandbox the agent gets, minimal: bind /, new pid namespace, /dev, /proc. */
export const BWRAP_PROBE_ARGS = ['--ro-bind', '/', '/', '--unshare-pid', '--die-with-parent', '--new-session', '--dev', '/dev', '--proc', '/proc', 'true'];

export function probeBwrap(bwrapPath = 'bwrap'): ProbeResult {
  const run = spawnSync(bwrapPath, BWRAP_PROBE_ARGS, { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS });
  if (run.error) {
    const code = (run.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, detail: `${bwrapPath} not found`, fix: 'apt-get install bubblewrap' };
    return { ok: false, detail: `${bwrapPath}: ${run.error.message}`, fix: `check that ${bwrapPath} is an executable bubblewrap, or apt-get install --reinstall bubblewrap` };
  }
  if (run.status !== 0) {
    const stderr = run.stderr.trim();
    const how = run.signal ? `killed by ${run.signal}` : `exit ${run.status}`;
    return { ok: false, detail: `${bwrapPath} ${how}: ${stderr || '(no output)'}`, fix: bwrapFix(stderr) };
  }
  const version = spawnSync(bwrapPath, ['--version'], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS }).stdout?.trim();
  return { ok: true, detail: `${version || bwrapPath} builds a sandbox (pid namespace, /dev, /proc)` };
}

/**
 * The same probe without blocking, for `shimgate run`: it runs beside the session's set-up instead of
 * before it (a bwrap start costs ~25 ms here), and skips the version query.
 */
export function probeBwrapAsync(bwrapPath = 'bwrap'): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(bwrapPath, BWRAP_PROBE_ARGS, { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS }, (err, _stdout, stderr) => {
      if (!err) return resolve({ ok: true, detail: `${bwrapPath} builds a sandbox` });
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return resolve({ ok: false, detail: `${bwrapPath} not found`, fix: 'apt-get install bubblewrap' });
      resolve({ ok: false, detail: `${bwrapPath} failed: ${stderr.trim() || err.message}`, fix: bwrapFix(stderr) });
    });
  });
}

function bwrapFix(stderr: string): string {
  if (/namespace|uid map|uid_map/i.test(stderr)) {
    return `${USERNS_FIX}; on Ubuntu ≥ 23.10 also allow bwrap in AppArmor (or sysctl -w kernel.apparmor_restrict_unprivileged_userns=0)`;
  }
  return 'run the bwrap command above by hand to see what this kernel or container refuses; inside a container, allow user namespaces and mounts (e.g. docker --security-opt seccomp=unconfined)';
}

export interface UserNamespaceFacts {
  uid: number;
  /** /proc/sys/user/max_user_namespaces, or null when unreadable. */
  maxUserNamespaces: string | null;
  /** /proc/sys/kernel/unprivileged_userns_clone (Debian/Ubuntu kernels only), or null when absent. */
  unprivilegedClone: string | null;
}

export function probeUserNamespaces(): ProbeResult {
  return judgeUserNamespaces({
    uid: process.getuid?.() ?? -1,
    maxUserNamespaces: readSysctl('/proc/sys/user/max_user_namespaces'),
    unprivilegedClone: readSysctl('/proc/sys/kernel/unprivileged_userns_clone'),
  });
}

export function judgeUserNamespaces(facts: UserNamespaceFacts): ProbeResult {
  if (facts.uid === 0) return { ok: true, detail: 'running as root: bwrap needs no user namespace' };
  if (facts.maxUserNamespaces === null) {
    return { ok: false, detail: 'cannot read /proc/sys/user/max_user_namespaces (kernel without user namespaces?)', fix: 'use a kernel built with CONFIG_USER_NS=y, or run shimgate as root' };
  }
  const max = Number(facts.maxUserNamespaces);
  if (!Number.isInteger(max) || max <= 0) {
    return { ok: false, detail: `user.max_user_namespaces is ${facts.maxUserNamespaces}: unprivileged users get no user namespace`, fix: USERNS_FIX };
  }
  if (facts.unprivilegedClone === '0') {
    return { ok: false, detail: 'kernel.unprivileged_userns_clone is 0: unprivileged users get no user namespace', fix: 'sysctl -w kernel.unprivileged_userns_clone=1 (persist it in /etc/sysctl.d/), or run shimgate as root' };
  }
  const clone = facts.unprivilegedClone === null ? '' : `, kernel.unprivileged_userns_clone=${facts.unprivilegedClone}`;
  return { ok: true, detail: `user namespaces available to uid ${facts.uid} (user.max_user_namespaces=${max}${clone})` };
}

function readSysctl(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Runs `helper --probe`, which prints exactly `landlock-abi N` and `seccomp ok|unavailable: <why>`. */
export function probeExecHelper(helperPath: string): HelperProbe {
  const run = spawnSync(helperPath, ['--probe'], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS });
  if (run.error) {
    const code = (run.error as NodeJS.ErrnoException).code;
    const detail = code === 'ENOENT' ? `sandbox exec helper ${helperPath} not found` : `sandbox exec helper ${helperPath}: ${run.error.message}`;
    return { ok: false, detail, fix: BUILD_FIX };
  }
  if (run.status !== 0) {
    const how = run.signal ? `killed by ${run.signal}` : `exit ${run.status}`;
    return { ok: false, detail: `${helperPath} --probe ${how}: ${run.stderr.trim() || '(no output)'}`, fix: BUILD_FIX };
  }
  return parseHelperProbe(helperPath, run.stdout);
}

export function parseHelperProbe(helperPath: string, stdout: string): HelperProbe {
  const lines = stdout.split('\n').filter((line) => line !== '');
  const abi = lines.map((line) => /^landlock-abi (\d+)$/.exec(line)).find((m) => m !== null);
  const seccomp = lines.map((line) => /^seccomp (ok|unavailable: .*)$/.exec(line)).find((m) => m !== null);
  if (!abi || !seccomp || lines.length !== 2) {
    return {
      ok: false,
      detail: `${helperPath} --probe printed ${JSON.stringify(stdout)}, not "landlock-abi N" and "seccomp ok|unavailable: …"`,
      fix: `${BUILD_FIX}; an old or foreign helper is in its place`,
    };
  }
  const landlockAbi = Number(abi[1]);
  const landlock = landlockAbi > 0 ? `Landlock ABI ${landlockAbi}` : 'Landlock unavailable';
  return { ok: true, landlockAbi, seccomp: seccomp[1] as string, detail: `${landlock}, seccomp ${seccomp[1]}` };
}

/** Runs `shimgate-agent-scope --probe`: exit 0 when the kernel has Landlock scopes (ABI ≥ 6). */
export function probeAgentScope(helperPath: string): ProbeResult {
  const run = spawnSync(helperPath, ['--probe'], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS });
  if (run.error) return { ok: false, detail: `${helperPath}: ${run.error.message}`, fix: BUILD_FIX };
  if (run.status === 0) return { ok: true, detail: 'abstract sockets and signals outside the agent sandbox are out of reach' };
  return {
    ok: false,
    detail: 'this kernel\'s Landlock has no scopes (ABI 6): the agent could reach the host\'s abstract Unix sockets (X11, desktop buses) and signal outside processes',
    fix: 'boot Linux 6.12 or later with Landlock enabled',
  };
}
