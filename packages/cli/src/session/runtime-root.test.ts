import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureRuntimeRoot, runtimeRootPath, runtimeRootProblem } from './runtime-root.js';

const base = mkdtempSync(join(tmpdir(), 'shimgate-root-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const uid = process.getuid!();

describe('runtime root', () => {
  it('lives under XDG_RUNTIME_DIR, else in /tmp/shimgate-<uid>', () => {
    expect(runtimeRootPath({ XDG_RUNTIME_DIR: '/run/user/7' }, 7)).toBe('/run/user/7/shimgate');
    expect(runtimeRootPath({}, 7)).toBe('/tmp/shimgate-7');
  });

  it('is created 0700 with a sessions/ directory', () => {
    const root = ensureRuntimeRoot(join(base, 'fresh'), uid);
    expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'sessions')).isDirectory()).toBe(true);
  });

  it('refuses a symlink, even to a good directory', () => {
    mkdirSync(join(base, 'real'), { mode: 0o700 });
    symlinkSync(join(base, 'real'), join(base, 'link'));
    expect(() => ensureRuntimeRoot(join(base, 'link'), uid)).toThrow(/symbolic link/);
  });

  it('refuses a directory others can reach', () => {
    mkdirSync(join(base, 'open'));
    chmodSync(join(base, 'open'), 0o755);
    expect(runtimeRootProblem(join(base, 'open'), uid)).toMatch(/mode 755, not 700/);
  });

  it('refuses a directory owned by another uid', () => {
    if (uid !== 0) throw new Error('needs root to chown (CI runs as root)');
    try {
      execFileSync('id', ['-u', 'nobody'], { stdio: 'ignore' });
    } catch {
      throw new Error('the "nobody" user is missing');
    }
    const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
    mkdirSync(join(base, 'theirs'), { mode: 0o700 });
    chownSync(join(base, 'theirs'), nobody, nobody);
    expect(() => ensureRuntimeRoot(join(base, 'theirs'), uid)).toThrow(`is owned by uid ${nobody}`);
  });
});
