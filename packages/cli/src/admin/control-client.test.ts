// The control client against real Unix sockets: the test peer for the protocol, and raw servers for the
// ways a session can misbehave (hang up, stay silent, send garbage).
import { afterAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { encodeFrame } from '@shimgate/server';
import { AdminWorld, pendingApproval, startControlPeer } from '../testing/control-peer.js';
import { controlRequest, controlSubscribe } from './control-client.js';
import { fetchPending, fetchStatus, parseControlEvent, sendDecision } from './control-protocol.js';

const world = new AdminWorld();
const servers: Server[] = [];
const sockets = new Set<Socket>();
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  world.cleanup();
});

let n = 0;
async function rawServer(onConnection: (socket: Socket) => void): Promise<string> {
  const path = join(world.dir, `raw-${(n += 1)}.sock`);
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return path;
}

describe('controlRequest', () => {
  it('sends one frame and returns the one answer, checked by the protocol helpers', async () => {
    const s = world.session('aaaa11112222');
    const request = pendingApproval('k3x9q2', 'aaaa11112222');
    const peer = await startControlPeer(s.socket, s.record, [request]);
    try {
      expect(await fetchPending(s.socket)).toEqual([request]);
      expect((await fetchStatus(s.socket)).session).toEqual(s.record);
      expect(await sendDecision(s.socket, { id: 'nope', decision: 'deny', scope: 'once', reason: null })).toEqual({
        ok: false, error: 'no pending approval nope (it may have expired or been decided)',
      });
      expect(peer.requests).toEqual([{ op: 'pending' }, { op: 'status' }, { op: 'decide', id: 'nope', decision: 'deny', scope: 'once', reason: null }]);
    } finally {
      await peer.close();
    }
  });

  it('says so when the session hangs up without answering (a peer of another uid is dropped like this)', async () => {
    const path = await rawServer((socket) => socket.destroy());
    await expect(controlRequest(path, { op: 'pending' })).rejects.toThrow(`control socket ${path}: closed the connection without answering`);
  });

  it('gives up on a session that does not answer in time', async () => {
    const path = await rawServer(() => {});
    await expect(controlRequest(path, { op: 'pending' }, { timeoutMs: 100 })).rejects.toThrow(`control socket ${path}: no answer in 100 ms`);
  });

  it('refuses a frame over the size limit without reading it', async () => {
    const path = await rawServer((socket) => socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff])));
    await expect(controlRequest(path, { op: 'pending' })).rejects.toThrow('sent a bad frame: frame of 4294967295 bytes is over the 4194304-byte limit');
  });

  it('names the socket when nothing listens there', async () => {
    const path = join(world.dir, 'missing.sock');
    await expect(controlRequest(path, { op: 'status' })).rejects.toThrow(`control socket ${path}: connect ENOENT`);
  });

  it('turns an answer of the wrong shape into an error that says what was wrong', async () => {
    const path = await rawServer((socket) => socket.end(encodeFrame({ ok: true, pending: [{ id: 'x' }] })));
    await expect(fetchPending(path)).rejects.toThrow('sent a pending approval without its id, session, command, args, cwd, parent, rule or times');
    const refused = await rawServer((socket) => socket.end(encodeFrame({ ok: false, error: 'busy' })));
    await expect(fetchPending(refused)).rejects.toThrow(`control socket ${refused} refused: busy`);
  });
});

describe('controlSubscribe', () => {
  it('delivers every frame in order, even split across and within reads', async () => {
    const frames = Buffer.concat([encodeFrame({ event: 'expired', id: 'a' }), encodeFrame({ event: 'withdrawn', id: 'b' })]);
    const path = await rawServer((socket) => {
      socket.write(frames.subarray(0, 7));
      setTimeout(() => socket.end(frames.subarray(7)), 20);
    });
    const events: unknown[] = [];
    const ended = await new Promise<Error | null>((resolve) => controlSubscribe(path, (e) => events.push(e), resolve));
    expect(events).toEqual([{ event: 'expired', id: 'a' }, { event: 'withdrawn', id: 'b' }]);
    expect(ended).toBeNull();
  });

  it('ends with the reason when the session refuses', async () => {
    const path = await rawServer((socket) => socket.end(encodeFrame({ ok: false, error: 'not now' })));
    const ended = await new Promise<Error | null>((resolve) => controlSubscribe(path, () => {}, resolve));
    expect(ended?.message).toBe(`control socket ${path}: refused to subscribe: not now`);
  });
});

describe('parseControlEvent', () => {
  const approval = pendingApproval('k3x9q2', 's1');

  it.each([
    ['a request', { event: 'pending', approval }, { event: 'pending', approval }],
    ['a request with a non-string argument', { event: 'pending', approval: { ...approval, args: [1] } }, null],
    ['a request with a numeric parent', { event: 'pending', approval: { ...approval, parent: 7 } }, null],
    [
      'a decision',
      { event: 'decided', id: 'k', decision: 'approve', scope: 'session', reason: 'ok', approver: { uid: 0, user: 'root' } },
      { event: 'decided', id: 'k', decision: 'approve', scope: 'session', reason: 'ok', approver: { uid: 0, user: 'root' } },
    ],
    ['an unknown decision', { event: 'decided', id: 'k', decision: 'maybe' }, null],
    ['a bare denial', { event: 'decided', id: 'k', decision: 'deny' }, { event: 'decided', id: 'k', decision: 'deny', scope: 'once', reason: null, approver: null }],
    ['an expiry', { event: 'expired', id: 'k' }, { event: 'expired', id: 'k' }],
    ['a withdrawal without an id', { event: 'withdrawn' }, null],
    ['an audit event', { event: 'command', audit: { command: 'gh' } }, { event: 'command', audit: { command: 'gh' } }],
    ['an unknown event', { event: 'reboot' }, null],
    ['an array', [1, 2], null],
    ['a string', 'pending', null],
  ])('%s', (_label, frame, event) => {
    expect(parseControlEvent(frame)).toEqual(event);
  });

  it('copies a request into an object without a prototype, so a "__proto__" key stays data', () => {
    const parsed = parseControlEvent(JSON.parse(`{"event":"pending","approval":${JSON.stringify(approval)}}`));
    expect(Object.getPrototypeOf(parsed && parsed.event === 'pending' ? parsed.approval : {})).toBeNull();
    const polluted = parseControlEvent(JSON.parse('{"event":"command","audit":{"__proto__":{"x":1}}}'));
    expect(polluted?.event === 'command' && Object.keys(polluted.audit)).toEqual(['__proto__']);
  });
});
