import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { AdminWorld, DEAD_PID } from '../testing/control-peer.js';
import { adminRuntimeRoot, listLiveSessions, selectSession } from './live-sessions.js';

const world = new AdminWorld();
const scratch = mkdtempSync(join(tmpdir(), 'sg-live-'));
afterAll(() => {
  world.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

describe('listLiveSessions', () => {
  world.session('bbbb00000002', { started_at: '2030-01-01T11:00:00.000Z' });
  world.session('aaaa00000001', { started_at: '2030-01-01T12:00:00.000Z', unconfined: undefined });
  world.session('aaaa00000003', { started_at: '2030-01-01T13:00:00.000Z' });
  world.session('dead00000000', { supervisor_pid: DEAD_PID });
  world.session('zero00000000', { supervisor_pid: 0 }); // kill(0, 0) signals our own group: it would look alive
  world.session('nega00000000', { supervisor_pid: -1 });
  world.session('done00000000', { status: 'exited' });
  world.session('liar00000000', { id: 'aaaa00000001' }); // claims another session's id
  mkdirSync(join(world.root, 'sessions', 'half00000000'));
  writeFileSync(join(world.root, 'sessions', 'half00000000', 'session.json'), '{"id":');

  it('lists sessions whose supervisor is alive, oldest first, and skips every other kind of dir', () => {
    const live = listLiveSessions(world.root);
    expect(live.map((s) => s.id)).toEqual(['bbbb00000002', 'aaaa00000001', 'aaaa00000003']);
    expect(live[0]!.controlSocket).toBe(join(world.root, 'sessions', 'bbbb00000002', 'control.sock'));
  });

  it('shows a record that does not say it is confined as UNCONFINED', () => {
    const live = listLiveSessions(world.root);
    expect(live.map((s) => s.record.unconfined)).toEqual([false, true, false]);
  });

  it('has none when no session ever ran', () => {
    expect(listLiveSessions(null)).toEqual([]);
    expect(listLiveSessions(scratch)).toEqual([]);
  });
});

describe('selectSession', () => {
  const live = listLiveSessions(world.root);

  it('takes a full id or the unique start of one', () => {
    expect(selectSession(live, 'aaaa00000003').id).toBe('aaaa00000003');
    expect(selectSession(live, 'bb').id).toBe('bbbb00000002');
  });

  it('refuses an ambiguous or unknown one', () => {
    expect(() => selectSession(live, 'aaaa')).toThrow('session "aaaa" matches aaaa00000001, aaaa00000003: give more of the id');
    expect(() => selectSession(live, 'ffff')).toThrow('no live session "ffff"');
    expect(() => selectSession(live, '')).toThrow('no live session ""');
  });
});

describe('adminRuntimeRoot', () => {
  const uid = userInfo().uid;

  it('is null when the root does not exist, and the root when it is ours and 0700', () => {
    expect(adminRuntimeRoot({ XDG_RUNTIME_DIR: join(scratch, 'none') }, uid)).toBeNull();
    expect(adminRuntimeRoot({ XDG_RUNTIME_DIR: world.runtime }, uid)).toBe(world.root);
  });

  it('refuses a symlinked root, even for root', () => {
    mkdirSync(join(scratch, 'planted'));
    symlinkSync(world.root, join(scratch, 'planted', 'shimgate'));
    for (const who of [uid, 0]) {
      expect(() => adminRuntimeRoot({ XDG_RUNTIME_DIR: join(scratch, 'planted') }, who)).toThrow('is a symbolic link');
    }
  });

  it('refuses another user\'s root unless the caller is root', () => {
    const other = uid === 0 ? 4242 : uid + 1;
    expect(() => adminRuntimeRoot({ XDG_RUNTIME_DIR: world.runtime }, other)).toThrow(`is owned by uid ${uid}, not by you (uid ${other})`);
    expect(adminRuntimeRoot({ XDG_RUNTIME_DIR: world.runtime }, 0)).toBe(world.root);
  });
});
