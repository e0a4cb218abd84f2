// GIT_CHILD_ENV against the installed git (integration: needs git): config from the environment wins
// over the repository's, so a tool that runs git (gh) cannot be steered by the repository's config.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GIT_CHILD_ENV } from './git.js';

const dir = mkdtempSync(join(tmpdir(), 'shimgate-git-child-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir };
const git = (env: Record<string, string>, ...args: string[]): string => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });

describe('GIT_CHILD_ENV', () => {
  it('beats the repository\'s core.fsmonitor and core.hooksPath', () => {
    git(base, 'init', '-q');
    const marker = join(dir, 'marker');
    appendFileSync(join(dir, '.git', 'config'), `[core]\n\tfsmonitor = touch ${marker}; false\n\thooksPath = /tmp\n`);
    expect(git({ ...base, ...GIT_CHILD_ENV }, 'config', 'core.fsmonitor').trim()).toBe('false');
    expect(git({ ...base, ...GIT_CHILD_ENV }, 'config', 'core.hooksPath').trim()).toBe('/dev/null');
    git({ ...base, ...GIT_CHILD_ENV }, 'status', '--short');
    expect(existsSync(marker)).toBe(false);
    git(base, 'status', '--short'); // the control: without it, the repository's fsmonitor runs
    expect(existsSync(marker)).toBe(true);
  });
});
