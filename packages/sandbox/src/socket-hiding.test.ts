import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boundSocketFiles, hostSocketPaths } from './socket-hiding.js';

const dir = mkdtempSync(join(tmpdir(), 'shimgate-sockets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROC_NET_UNIX = [
  'Num       RefCount Protocol Flags    Type St Inode Path',
  '0000000000000000: 00000002 00000000 00010000 0001 01 20001 /run/systemd/private',
  '0000000000000000: 00000002 00000000 00010000 0001 01 20002 @/tmp/.X11-unix/X0',
  '0000000000000000: 00000003 00000000 00000000 0001 03 20003',
  '0000000000000000: 00000002 00000000 00010000 0001 01 20004 /home/u/my project/dev  server.sock',
  '0000000000000000: 00000002 00000000 00010000 0001 01  1004 /run/padded-inode.sock',
  '0000000000000000: 00000002 00000000 00010000 0001 01 20005 /run/user/1000/shimgate/sessions/a/agent/mediation.sock',
  '',
].join('\n');

describe('boundSocketFiles', () => {
  it('reads the path of every path socket, runs of spaces included; abstract and unnamed ones are not files', () => {
    const file = join(dir, 'unix');
    writeFileSync(file, PROC_NET_UNIX);
    expect(boundSocketFiles(file)).toEqual(['/run/systemd/private', '/home/u/my project/dev  server.sock', '/run/padded-inode.sock', '/run/user/1000/shimgate/sessions/a/agent/mediation.sock']);
  });

  it('finds nothing, rather than failing, where there is no /proc/net/unix', () => {
    expect(boundSocketFiles(join(dir, 'none'))).toEqual([]);
  });
});

describe('hostSocketPaths', () => {
  const tmp = join(dir, 'tmp');
  for (const name of ['tmux-1000', 'ssh-XXXXabcd', 'unrelated', '.X11-unix']) mkdirSync(join(tmp, name), { recursive: true });
  writeFileSync(join(dir, 'unix'), PROC_NET_UNIX);
  const paths = hostSocketPaths({
    env: { XDG_RUNTIME_DIR: '/run/user/1000', SSH_AUTH_SOCK: '/tmp/ssh-agent-dir/agent.42', TMUX: '/tmp/tmux-1000/default,77,0', GNUPGHOME: 'relative/ignored' },
    ownRoot: '/run/user/1000/shimgate',
    procNetUnix: join(dir, 'unix'),
    tmpDir: tmp,
  });

  it('hides the known socket dirs, the dirs the environment names, and tmux/ssh dirs in /tmp', () => {
    expect(paths).toEqual(expect.arrayContaining(['/run/user', '/run/docker.sock', '/run/user/1000', '/tmp/ssh-agent-dir', '/tmp/tmux-1000', join(tmp, 'tmux-1000'), join(tmp, 'ssh-XXXXabcd')]));
    expect(paths).not.toContain(join(tmp, 'unrelated'));
    expect(paths).not.toContain('relative/ignored');
  });

  it('covers every bound socket file except the session\'s own', () => {
    expect(paths).toEqual(expect.arrayContaining(['/run/systemd/private', '/home/u/my project/dev  server.sock']));
    expect(paths).not.toContain('/run/user/1000/shimgate/sessions/a/agent/mediation.sock');
  });
});
