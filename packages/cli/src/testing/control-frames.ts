// A minimal control-socket client for tests that drive a real session's approvals.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { encodeFrame, FrameDecoder } from '@shimgate/server';

export function controlCall(socketPath: string, request: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const decoder = new FrameDecoder(1024 * 1024);
    socket.on('connect', () => socket.write(encodeFrame(request)));
    socket.on('data', (chunk) => {
      const [frame] = decoder.push(chunk);
      if (frame?.ok) resolve(frame.value as Record<string, unknown>);
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('control socket closed without an answer')));
  });
}

/** Waits for the one live session under `runtimeDir` and returns its control socket path. */
export async function waitForControlSocket(runtimeDir: string): Promise<string> {
  const sessions = join(runtimeDir, 'shimgate', 'sessions');
  for (const deadline = Date.now() + 25_000; Date.now() < deadline; ) {
    for (const id of existsSync(sessions) ? readdirSync(sessions) : []) {
      try {
        const record = JSON.parse(readFileSync(join(sessions, id, 'session.json'), 'utf8')) as { control_socket: string; status: string };
        if (record.status === 'running' && existsSync(record.control_socket)) return record.control_socket;
      } catch {
        // being written
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no running session appeared under ${sessions}`);
}

export async function waitForPending(socketPath: string, count = 1): Promise<Record<string, unknown>[]> {
  for (const deadline = Date.now() + 25_000; Date.now() < deadline; ) {
    const answer = await controlCall(socketPath, { op: 'pending' });
    const pending = answer.pending as Record<string, unknown>[];
    if (pending.length >= count) return pending;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no pending approval appeared');
}
