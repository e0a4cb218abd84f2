// `shimgate audit` and `shimgate audit verify` end to end: real chained files written by the server's
// own openAuditLog, read by the built CLI.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog, type AuditEvent } from '@shimgate/server';
import { SHIMGATE_BIN, shimgate } from './testing/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'shimgate-audit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh XDG_STATE_HOME per scenario, so one test's appends never reorder another's files. */
function stateHome(name: string): { env: { XDG_STATE_HOME: string }; dir: string } {
  const home = join(root, name);
  return { env: { XDG_STATE_HOME: home }, dir: join(home, 'shimgate', 'audit') };
}

function call(command: string, args: string[], more: Partial<AuditEvent> = {}): AuditEvent {
  const fields = { command_pid: 4242, cwd: '/repo', parent: null, rule: null, signal: null, approval: null };
  return { ...fields, command, args, action_type: 'passthrough', exit_code: 0, duration_ms: 7, ...more };
}

/** Appends `events` to the session's file through the real writer; returns the file's path. */
function writeSession(dir: string, id: string, events: readonly AuditEvent[], mtime?: Date): string {
  const log = openAuditLog(join(dir, `${id}.jsonl`), { session_id: id, session_name: 'agent', supervisor_pid: 1, sandboxed_pid: 2, unconfined: false });
  for (const event of events) log.append(event);
  log.close();
  if (mtime) utimesSync(log.path, mtime, mtime);
  return log.path;
}

const fiveCalls = [
  call('gh', ['pr', 'list']),
  call('gh', ['pr', 'merge', '7'], { action_type: 'approve' }),
  call('git', ['push', 'origin', 'main'], { exit_code: 1, duration_ms: 1500 }),
  call('kubectl', ['delete', 'ns', 'prod'], { action_type: 'deny', exit_code: 126 }),
  call('sleep', ['100'], { exit_code: null, signal: 15 }),
];

describe('shimgate audit (listing)', () => {
  const { env, dir } = stateHome('listing');
  // Name order is the reverse of age order, so only sorting by mtime passes.
  const older = writeSession(dir, 'ffff00000001', [call('gh', ['auth', 'status']), call('gh', ['pr', 'view', '1'])], new Date('2030-01-01T10:00:00Z'));
  const newer = writeSession(dir, 'aaaa00000002', fiveCalls, new Date('2030-01-01T11:00:00Z'));

  it('prints every session as a table, oldest file first, events in file order', () => {
    const r = shimgate(['audit'], { env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^TIME +SESSION +ACTION +EXIT +DURATION +COMMAND$/);
    expect(rows.map((row) => row.split(/ +/)[1])).toEqual(['ffff0000', 'ffff0000', 'aaaa0000', 'aaaa0000', 'aaaa0000', 'aaaa0000', 'aaaa0000']);
    expect(rows.map((row) => row.slice(header!.indexOf('COMMAND')))).toEqual([
      'gh auth status', 'gh pr view 1', 'gh pr list', 'gh pr merge 7', 'git push origin main', 'kubectl delete ns prod', 'sleep 100',
    ]);
  });

  it('fills the columns: HH:MM:SS, short session id, action, exit code or signal, duration', () => {
    const [header, ...rows] = shimgate(['audit', '--session', 'aaaa00000002'], { env: { ...env, TZ: 'UTC' } }).stdout.trimEnd().split('\n');
    // Cut each row where the header's titles start: the columns line up or this test fails.
    const starts = [...header!.matchAll(/\S+/g)].map((m) => m.index);
    const cells = (row: string): string[] => starts.map((at, i) => row.slice(at, starts[i + 1]).trim());
    expect(cells(header!)).toEqual(['TIME', 'SESSION', 'ACTION', 'EXIT', 'DURATION', 'COMMAND']);
    expect(rows.map(cells)).toEqual([
      [expect.stringMatching(/^\d\d:\d\d:\d\d$/), 'aaaa0000', 'passthrough', '0', '7ms', 'gh pr list'],
      [expect.any(String), 'aaaa0000', 'approve', '0', '7ms', 'gh pr merge 7'],
      [expect.any(String), 'aaaa0000', 'passthrough', '1', '1.5s', 'git push origin main'],
      [expect.any(String), 'aaaa0000', 'deny', '126', '7ms', 'kubectl delete ns prod'],
      [expect.any(String), 'aaaa0000', 'passthrough', 'SIGTERM', '7ms', 'sleep 100'],
    ]);
    const stamps = readFileSync(newer, 'utf8').trimEnd().split('\n').map((line) => (JSON.parse(line) as { ts: string }).ts.slice(11, 19));
    expect(rows.map((row) => cells(row)[0])).toEqual(stamps);
  });

  it('--session takes a full id or a unique start of one', () => {
    for (const id of ['ffff00000001', 'ffff']) {
      const r = shimgate(['audit', '--session', id], { env });
      expect(r.status).toBe(0);
      expect(r.stdout.trimEnd().split('\n')).toHaveLength(3); // header + 2 events
      expect(r.stdout).not.toContain('aaaa0000');
    }
  });

  it('exits 1 for an unknown session and names the directory it searched', () => {
    const r = shimgate(['audit', '--session', 'deadbeef0000'], { env });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('"deadbeef0000"');
    expect(r.stderr).toContain(dir);
    // An id is matched against file names, never joined into a path.
    expect(shimgate(['audit', '--session', '../audit/ffff00000001'], { env }).status).toBe(1);
  });

  it('--json prints the stored lines exactly, files oldest first', () => {
    const r = shimgate(['audit', '--json'], { env });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(older, 'utf8') + readFileSync(newer, 'utf8'));
    expect(shimgate(['audit', '--json', '--session', 'ffff'], { env }).stdout).toBe(readFileSync(older, 'utf8'));
  });

  it('shows control characters in arguments escaped, never raw', () => {
    const { env: env2, dir: dir2 } = stateHome('escapes');
    writeSession(dir2, 'e5c000000000', [call('echo', ['\x1b]0;pwned\x07', 'it\'s', 'a\u202eb'])]);
    const r = shimgate(['audit'], { env: env2 });
    expect(r.stdout).not.toMatch(/[\x1b\x07\u202e]/u);
    expect(r.stdout).toContain(String.raw`echo $'\x1b]0;pwned\x07' 'it'\''s' $'a\u202eb'`);
  });

  it('says so on stderr and exits 0 when there are no audit files', () => {
    const { env: env2, dir: dir2 } = stateHome('empty');
    const r = shimgate(['audit'], { env: env2 });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(dir2);
  });

  it('shows both forms in its usage text, and refuses unknown arguments with exit 2', () => {
    expect(shimgate(['audit', '--help']).stdout).toContain('shimgate audit [--session ID] [--follow] [--json]\nshimgate audit verify [FILE]\n');
    expect(shimgate(['audit', 'bogus'], { env }).status).toBe(2);
    expect(shimgate(['audit', 'verify', '--follow'], { env }).status).toBe(2);
  });
});

describe('shimgate audit verify', () => {
  const { env, dir } = stateHome('verify');
  const good = writeSession(dir, 'c0ffee000001', fiveCalls);
  const lines = readFileSync(good, 'utf8').split('\n').slice(0, -1);

  mkdirSync(join(root, 'variants'));
  const variant = (name: string, text: string): string => {
    writeFileSync(join(root, 'variants', `${name}.jsonl`), text);
    return join(root, 'variants', `${name}.jsonl`);
  };

  it('exits 0 for an intact chain and counts its events', () => {
    const r = shimgate(['audit', 'verify', good], { env });
    expect(r.stdout).toBe(`${good}: ok (5 events)\n`);
    expect(r.status).toBe(0);
  });

  it('names line 3 when one byte of a value in line 3 is changed', () => {
    const changed = lines.map((line, i) => (i === 2 ? line.replace('"origin"', '"0rigin"') : line));
    expect(changed[2]).not.toBe(lines[2]);
    const path = variant('one-byte', `${changed.join('\n')}\n`);
    const r = shimgate(['audit', 'verify', path], { env });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(`${path}: broken at line 3: hash does not match the line (it was changed)\n`);
  });

  it.each([
    ['a deleted line 3', () => lines.filter((_, i) => i !== 2), 3],
    ['lines 2 and 3 swapped', () => [lines[0], lines[2], lines[1], lines[3], lines[4]], 2],
    ['a deleted first line', () => lines.slice(1), 1],
    ['the last line cut in half', () => [...lines.slice(0, 4), lines[4]!.slice(0, lines[4]!.length >> 1)], 5],
    ['the last line missing its final "}"', () => [...lines.slice(0, 4), lines[4]!.slice(0, -1)], 5],
  ])('exits 1 and names the line for %s', (name, edit, line) => {
    const path = variant(name.replaceAll(' ', '-'), `${(edit() as string[]).join('\n')}\n`);
    const r = shimgate(['audit', 'verify', path], { env });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`: broken at line ${line}: `));
  });

  it('fails at line 3 whichever single byte of line 3 is flipped', () => {
    // One file per byte position, all checked in one run through the audit dir.
    const { env: env2, dir: dir2 } = stateHome('every-byte');
    mkdirSync(dir2, { recursive: true });
    const text = Buffer.from(`${lines.join('\n')}\n`);
    const start = Buffer.byteLength(`${lines.slice(0, 2).join('\n')}\n`);
    const end = start + Buffer.byteLength(lines[2]!); // through line 3's own '\n'
    for (let at = start; at <= end; at += 1) {
      const copy = Buffer.from(text);
      copy[at] = copy[at]! ^ 0x01;
      writeFileSync(join(dir2, `flip-${at}.jsonl`), copy);
    }
    const r = shimgate(['audit', 'verify'], { env: env2 });
    expect(r.status).toBe(1);
    const results = r.stdout.trimEnd().split('\n');
    expect(results).toHaveLength(end - start + 1);
    for (const result of results) expect(result).toMatch(/\.jsonl: broken at line 3: /);
  });

  it('without FILE checks every audit file and exits 1 if any is broken', () => {
    const { env: env2, dir: dir2 } = stateHome('verify-all');
    const a = writeSession(dir2, 'a00000000001', fiveCalls.slice(0, 2), new Date('2030-01-01T10:00:00Z'));
    const b = writeSession(dir2, 'b00000000002', fiveCalls, new Date('2030-01-01T11:00:00Z'));
    const ok = shimgate(['audit', 'verify'], { env: env2 });
    expect(ok.stdout).toBe(`${a}: ok (2 events)\n${b}: ok (5 events)\n`);
    expect(ok.status).toBe(0);
    writeFileSync(a, readFileSync(a, 'utf8').replace('"list"', '"lisT"'));
    const broken = shimgate(['audit', 'verify'], { env: env2 });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(`${a}: broken at line 1: `);
    expect(broken.stdout).toContain(`${b}: ok (5 events)`);
  });

  it('exits 1 for a file it cannot read', () => {
    const r = shimgate(['audit', 'verify', join(root, 'no-such.jsonl')], { env });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('no-such.jsonl: unreadable: ');
  });
});

describe('shimgate audit --follow', () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((child) => child.exitCode === null && child.kill('SIGKILL')));

  function follow(args: string[], env: NodeJS.ProcessEnv) {
    const child = spawn(process.execPath, [SHIMGATE_BIN, 'audit', '--follow', ...args], { env: { ...process.env, ...env } });
    children.push(child);
    const out = { stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out.stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out.stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const waitFor = async (what: () => boolean, label: string): Promise<void> => {
      for (let i = 0; i < 400 && !what(); i += 1) await new Promise((r) => setTimeout(r, 25));
      if (!what()) throw new Error(`timed out waiting for ${label}; stdout:\n${out.stdout}\nstderr:\n${out.stderr}`);
    };
    return { child, out, exited, waitFor };
  }

  it('prints lines appended after it started, only whole ones, and exits 0 on SIGTERM', async () => {
    const { env, dir } = stateHome('follow-json');
    const path = writeSession(dir, 'f0110e000001', fiveCalls.slice(0, 2));
    const f = follow(['--session', 'f0110e000001', '--json'], env);
    await f.waitFor(() => f.out.stdout.split('\n').length === 3, 'the existing lines');
    expect(f.out.stdout).toBe(readFileSync(path, 'utf8'));

    writeSession(dir, 'f0110e000001', [call('gh', ['issue', 'create'])]);
    const appended = readFileSync(path, 'utf8').split('\n')[2];
    await f.waitFor(() => f.out.stdout.includes('"create"'), 'the appended line');
    expect(f.out.stdout).toBe(readFileSync(path, 'utf8'));

    appendFileSync(path, '{"half":');
    await new Promise((r) => setTimeout(r, 700)); // longer than one poll interval
    expect(f.out.stdout.endsWith(`${appended}\n`)).toBe(true);
    appendFileSync(path, '"done"}\n');
    await f.waitFor(() => f.out.stdout.endsWith('{"half":"done"}\n'), 'the completed line');

    f.child.kill('SIGTERM');
    expect(await f.exited).toEqual({ code: 0, signal: null });
  });

  it('without --session follows the newest file, says so, and exits 0 on SIGINT', async () => {
    const { env, dir } = stateHome('follow-table');
    writeSession(dir, 'old000000001', [call('true', [])], new Date('2030-01-01T10:00:00Z'));
    writeSession(dir, 'new000000002', [call('date', [])], new Date('2030-01-01T11:00:00Z'));
    const f = follow([], env);
    await f.waitFor(() => f.out.stdout.includes('date'), 'the existing rows');
    expect(f.out.stderr).toContain(`following session new000000002`);
    expect(f.out.stdout).toMatch(/old00000 .* true\n/);

    writeSession(dir, 'new000000002', [call('make', ['-j8', 'all'], { exit_code: 2 })]);
    await f.waitFor(() => f.out.stdout.includes('make -j8 all'), 'the appended row');
    expect(f.out.stdout.trimEnd().split('\n').at(-1)).toMatch(/^\d\d:\d\d:\d\d {2}new00000 {2}passthrough {2}2 +7ms {2}make -j8 all$/);

    f.child.kill('SIGINT');
    expect(await f.exited).toEqual({ code: 0, signal: null });
  });

  it('exits 1 when there is nothing to follow', () => {
    const { env, dir } = stateHome('follow-none');
    const r = shimgate(['audit', '--follow'], { env });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(dir);
  });
});
