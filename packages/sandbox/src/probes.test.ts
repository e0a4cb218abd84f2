// The probes run for real on this machine (bwrap installed, root); fake programs stand in for a broken
// bwrap or helper so every failure path is a real process too.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShimgateError } from '@shimgate/profile';
import { EXEC_HELPER_PATH } from './built-programs.js';
import { judgeUserNamespaces, parseHelperProbe, probeBwrap, probeExecHelper, probeUserNamespaces } from './probes.js';
import { linuxBubblewrapBackend, selectBackend } from './sandbox-backend.js';

let dir = '';
function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shimgate-probe-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('probeBwrap', () => {
  it('builds a real sandbox with the installed bwrap', () => {
    const result = probeBwrap();
    expect(result).toEqual({ ok: true, detail: expect.stringMatching(/^bubblewrap \d+\.\d+/) });
  });

  it('says how to install bwrap when it is missing', () => {
    expect(probeBwrap(join(dir, 'no-bwrap'))).toEqual({ ok: false, detail: `${join(dir, 'no-bwrap')} not found`, fix: 'apt-get install bubblewrap' });
  });

  it('reports the exact stderr of a bwrap that fails, with the namespace fix when that is the cause', () => {
    const fake = script('bwrap-no-userns', 'echo "bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2; exit 1');
    const result = probeBwrap(fake);
    expect(result).toEqual({
      ok: false,
      detail: `${fake} exit 1: bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces.`,
      fix: expect.stringContaining('sysctl -w user.max_user_namespaces='),
    });
  });

  it('gives a generic but concrete fix for any other failure', () => {
    const result = probeBwrap(script('bwrap-other', 'echo "bwrap: Can\'t mount proc on /newroot/proc: Operation not permitted" >&2; exit 1'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fix).toMatch(/run the bwrap command above by hand/);
  });
});

describe('probeUserNamespaces', () => {
  it('answers for this machine', () => {
    const result = probeUserNamespaces();
    expect(result.ok).toBe(true);
    if (process.getuid?.() === 0) expect(result.detail).toBe('running as root: bwrap needs no user namespace');
  });

  it.each<[string, Parameters<typeof judgeUserNamespaces>[0], boolean, RegExp]>([
    ['root needs none', { uid: 0, maxUserNamespaces: '0', unprivilegedClone: '0' }, true, /root: bwrap needs no user namespace/],
    ['a user with namespaces', { uid: 1000, maxUserNamespaces: '96364', unprivilegedClone: null }, true, /max_user_namespaces=96364/],
    ['a user with the Debian switch on', { uid: 1000, maxUserNamespaces: '100', unprivilegedClone: '1' }, true, /unprivileged_userns_clone=1/],
    ['max_user_namespaces 0', { uid: 1000, maxUserNamespaces: '0', unprivilegedClone: null }, false, /sysctl -w user\.max_user_namespaces=/],
    ['the Debian switch off', { uid: 1000, maxUserNamespaces: '100', unprivilegedClone: '0' }, false, /sysctl -w kernel\.unprivileged_userns_clone=1/],
    ['no user namespaces at all', { uid: 1000, maxUserNamespaces: null, unprivilegedClone: null }, false, /CONFIG_USER_NS/],
  ])('%s', (_name, facts, ok, text) => {
    const result = judgeUserNamespaces(facts);
    expect(result.ok).toBe(ok);
    expect(result.ok ? result.detail : result.fix).toMatch(text);
  });
});

describe('probeExecHelper', () => {
  it('reads the landlock ABI and the seccomp state', () => {
    const helper = script('helper-ok', 'printf "landlock-abi 7\\nseccomp ok\\n"');
    expect(probeExecHelper(helper)).toEqual({ ok: true, landlockAbi: 7, seccomp: 'ok', detail: 'Landlock ABI 7, seccomp ok' });
    const without = script('helper-none', 'printf "landlock-abi 0\\nseccomp unavailable: EINVAL\\n"');
    expect(probeExecHelper(without)).toEqual({ ok: true, landlockAbi: 0, seccomp: 'unavailable: EINVAL', detail: 'Landlock unavailable, seccomp unavailable: EINVAL' });
  });

  it('asks for a build when the helper is missing, fails, or says something else', () => {
    const missing = probeExecHelper(join(dir, 'no-helper'));
    expect(missing).toEqual({ ok: false, detail: `sandbox exec helper ${join(dir, 'no-helper')} not found`, fix: expect.stringContaining('npm run build') });
    const failing = script('helper-fails', 'echo "shimgate-sandbox-exec: usage" >&2; exit 2');
    expect(probeExecHelper(failing)).toEqual({ ok: false, detail: `${failing} --probe exit 2: shimgate-sandbox-exec: usage`, fix: expect.stringContaining('npm run build') });
    expect(parseHelperProbe('h', 'landlock 7\nseccomp ok\n')).toMatchObject({ ok: false, detail: expect.stringContaining('not "landlock-abi N"') });
    expect(parseHelperProbe('h', 'landlock-abi 7\n')).toMatchObject({ ok: false });
  });

  it('probes the helper built in shim/build', () => {
    if (!existsSync(EXEC_HELPER_PATH)) throw new Error(`${EXEC_HELPER_PATH} is missing: run npm run build first`);
    expect(probeExecHelper(EXEC_HELPER_PATH)).toMatchObject({ ok: true, landlockAbi: expect.any(Number), seccomp: expect.stringMatching(/^(ok|unavailable: )/) });
  });
});

describe('selectBackend', () => {
  it('is bubblewrap on Linux, and its checks pass here', () => {
    const backend = selectBackend('linux');
    expect(backend).toBe(linuxBubblewrapBackend);
    expect(backend.name).toBe('bubblewrap');
    expect(backend.check().map((r) => r.ok)).toEqual([true, true]);
  });

  it.each(['darwin', 'win32'] as const)('refuses %s with a clear error', (platform) => {
    expect(() => selectBackend(platform)).toThrow(ShimgateError);
    expect(() => selectBackend(platform)).toThrow(`no agent sandbox backend for ${platform} yet; --unconfined runs without one`);
  });
});
