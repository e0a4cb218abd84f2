import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSessionDirs, removeDeadSessions, sessionPaths, writeSessionRecord, type SessionRecord } from './session-files.js';

const root = mkdtempSync(join(tmpdir(), 'shimgate-sessions-'));
mkdirSync(join(root, 'sessions'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function deadPid(): number {
  const child = spawnSync('sh', ['-c', 'echo $$']);
  return Number(child.stdout.toString().trim());
}

function session(id: string, supervisorPid: number): string {
  const paths = sessionPaths(root, id);
  createSessionDirs(paths);
  const record: SessionRecord = {
    id, name: id, profile: 'default', workdir: '/', supervisor_pid: supervisorPid, sandboxed_pid: null,
    started_at: new Date().toISOString(), control_socket: paths.controlSocket, status: 'running',
    unconfined: true, agent_command: ['sh'], audit_file: '/dev/null',
  };
  writeSessionRecord(paths, record);
  return paths.dir;
}

describe('removeDeadSessions', () => {
  it('removes sessions whose supervisor is gone and keeps live ones', () => {
    const dead = session('dead1', deadPid());
    const live = session('live1', process.pid);
    expect(removeDeadSessions(root)).toEqual(['dead1']);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  it('leaves a young directory without session.json (being created) and removes an old one', () => {
    const young = join(root, 'sessions', 'young');
    const old = join(root, 'sessions', 'old');
    mkdirSync(young);
    mkdirSync(old);
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(old, hourAgo, hourAgo);
    expect(removeDeadSessions(root)).toEqual(['old']);
    expect(existsSync(young)).toBe(true);
  });
});
