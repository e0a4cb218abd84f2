// Real kernel, real sockets: a python3 client passes fds with socket.send_fds, as the C shim will.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { closeFds, peerCredentials, receiveFirstChunk } from './fd-receive.js';

// argv: socket path, fd count, payload. Connects, prints its pid, then waits for "send" and "close" on stdin.
const SENDER = `
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
print(os.getpid(), flush=True)
for line in sys.stdin:
    if line.strip() == 'send':
        fds = [os.open('/dev/null', os.O_RDONLY) for _ in range(int(sys.argv[2]))]
        socket.send_fds(s, [sys.argv[3].encode()], fds)
        print('sent', flush=True)
    elif line.strip() == 'close':
        s.close()
        print('closed', flush=True)
`;

const O_CLOEXEC = 0o2000000;

interface Client {
  pid: number;
  socket: Socket;
  fd: number;
  /** Sends a command to the python client and waits for its acknowledgement. */
  tell(command: 'send' | 'close'): Promise<void>;
}

let dir: string;
let socketPath: string;
let server: Server;
const accepted: Socket[] = [];
const waiting: ((s: Socket) => void)[] = [];
const clients: ChildProcessWithoutNullStreams[] = [];
const connections: Socket[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fd-receive-'));
  socketPath = join(dir, 's.sock');
  server = createServer({ pauseOnConnect: true }, (s) => {
    const w = waiting.shift();
    if (w) w(s);
    else accepted.push(s);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterEach(() => {
  for (const c of clients.splice(0)) c.kill('SIGKILL');
  for (const s of [...accepted.splice(0), ...connections.splice(0)]) s.destroy();
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function nextConnection(): Promise<Socket> {
  const s = accepted.shift();
  return s ? Promise.resolve(s) : new Promise((resolve) => waiting.push(resolve));
}

function handleFd(s: Socket): number {
  const fd = (s as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new Error('socket has no fd');
  return fd;
}

async function connect(fdCount: number, payload: string): Promise<Client> {
  const child = spawn('python3', ['-c', SENDER, socketPath, String(fdCount), payload]);
  clients.push(child);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const r = await lines.next();
    if (r.done) throw new Error(`python client ended early: ${child.stderr.read() ?? ''}`);
    return String(r.value);
  };
  const socket = await nextConnection();
  connections.push(socket);
  const pid = Number(await nextLine());
  return {
    pid,
    socket,
    fd: handleFd(socket),
    async tell(command) {
      child.stdin.write(`${command}\n`);
      await nextLine();
    },
  };
}

const openFdCount = (): number => readdirSync('/proc/self/fd').length;

function fdFlags(fd: number): number {
  const m = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
  if (!m) throw new Error(`no flags for fd ${fd}`);
  return parseInt(m[1]!, 8);
}

describe('receiveFirstChunk', () => {
  it('says "again" while the client has sent nothing', async () => {
    const c = await connect(3, 'x');
    expect(receiveFirstChunk(c.fd, 1024)).toEqual({ kind: 'again' });
  });

  it.each([1, 3, 4])('receives the payload and all %i fds, close-on-exec, and closeFds releases them', async (n) => {
    const c = await connect(n, 'hello frame');
    await c.tell('send');
    const baseline = openFdCount();
    const r = receiveFirstChunk(c.fd, 1024);
    if (r.kind !== 'data') throw new Error(`expected data, got ${JSON.stringify(r)}`);
    expect(r.bytes.toString()).toBe('hello frame');
    expect(r.fds).toHaveLength(n);
    expect(openFdCount()).toBe(baseline + n);
    for (const fd of r.fds) {
      expect(fd).toBeGreaterThan(2);
      expect(fdFlags(fd) & O_CLOEXEC).toBe(O_CLOEXEC);
    }
    closeFds(r.fds);
    expect(openFdCount()).toBe(baseline);
  });

  it('reports more fds than it has room for as truncated, returning those it got', async () => {
    const c = await connect(9, 'x');
    await c.tell('send');
    const baseline = openFdCount();
    const r = receiveFirstChunk(c.fd, 1024);
    if (r.kind !== 'error') throw new Error(`expected error, got ${JSON.stringify(r)}`);
    expect(r.reason).toMatch(/truncated/);
    expect(r.fds).toHaveLength(8);
    closeFds(r.fds);
    expect(openFdCount()).toBe(baseline);
  });

  it('reads at most maxBytes; the rest stays in the socket', async () => {
    const c = await connect(3, 'abcdefgh');
    await c.tell('send');
    const r = receiveFirstChunk(c.fd, 3);
    if (r.kind !== 'data') throw new Error(`expected data, got ${JSON.stringify(r)}`);
    expect(r.bytes.toString()).toBe('abc');
    closeFds(r.fds);
    const rest = receiveFirstChunk(c.fd, 100);
    expect(rest).toEqual({ kind: 'data', bytes: Buffer.from('defgh'), fds: [] });
  });

  it('says "eof" once the client closed without sending', async () => {
    const c = await connect(3, 'x');
    await c.tell('close');
    expect(receiveFirstChunk(c.fd, 1024)).toEqual({ kind: 'eof' });
  });

  it('reports a bad fd as an error, without fds', () => {
    const r = receiveFirstChunk(1_000_000, 16);
    expect(r).toEqual({ kind: 'error', reason: expect.stringMatching(/^recvmsg: EBADF/), fds: [] });
  });
});

describe('peerCredentials', () => {
  it("returns the client's pid and this uid/gid", async () => {
    const c = await connect(3, 'x');
    expect(peerCredentials(c.fd)).toEqual({ pid: c.pid, uid: process.getuid!(), gid: process.getgid!() });
  });

  it('throws an errno error on a non-socket', () => {
    expect(() => peerCredentials(1_000_000)).toThrow(expect.objectContaining({ code: 'EBADF', syscall: 'getsockopt' }));
  });
});

describe('closeFds', () => {
  it('ignores fds that are already closed', () => {
    expect(() => closeFds([1_000_000, 1_000_001])).not.toThrow();
  });
});
