// `GET /api/events`: one control-socket subscription per live session (admin/session-feed.ts rescans
// every 2 s for sessions started later) relayed to every open page as server-sent events, one JSON
// object per `data:` line. Besides the control events (pending, decided, expired, withdrawn, command,
// each with the session_id added) the page is told `session-started` and `session-ended`.
import type { ServerResponse } from 'node:http';
import type { ControlEvent } from '../admin/control-protocol.js';
import type { LiveSession } from '../admin/live-sessions.js';
import { createSessionFeed, POLL_MS } from '../admin/session-feed.js';

/** Open event streams at once; each holds a socket, and one person needs a tab or two. */
export const MAX_EVENT_CLIENTS = 16;
/** A comment line this often keeps proxies and the browser from giving up on a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** A page that stops reading is dropped once this much is queued for it (it reconnects and resyncs). */
const MAX_QUEUED_BYTES = 1024 * 1024;
/** Decided ids remembered per session, so a pending list fetched just before a decision cannot bring
 * the request back; ids are short and a session rarely has this many. */
const MAX_GONE_IDS = 1_000;

export interface EventRelay {
  /** Starts the stream on `res`; false (nothing written) when MAX_EVENT_CLIENTS are already open. */
  attach(res: ServerResponse): boolean;
  close(): void;
}

interface Known {
  pending: Set<string>;
  gone: Set<string>;
}

export function createEventRelay(options: { list: () => LiveSession[]; note: (text: string) => void }): EventRelay {
  const clients = new Set<ServerResponse>();
  const known = new Map<string, Known>();
  let closed = false;
  let poller: NodeJS.Timeout | undefined;

  const send = (payload: object): void => {
    const frame = `data: ${JSON.stringify(payload)}\n\n`; // JSON.stringify never emits a raw newline
    for (const res of clients) {
      if (res.writableLength > MAX_QUEUED_BYTES) res.destroy();
      else res.write(frame);
    }
  };
  const knownOf = (sessionId: string): Known => {
    let k = known.get(sessionId);
    if (!k) known.set(sessionId, (k = { pending: new Set(), gone: new Set() }));
    return k;
  };
  const forget = (sessionId: string, id: string): void => {
    const k = knownOf(sessionId);
    k.pending.delete(id);
    k.gone.add(id);
    if (k.gone.size > MAX_GONE_IDS) k.gone.delete(k.gone.values().next().value as string);
  };
  const relay = (session: LiveSession, event: ControlEvent): void => {
    if (event.event === 'pending') {
      if (knownOf(session.id).gone.has(event.approval.id)) return;
      knownOf(session.id).pending.add(event.approval.id);
    } else if (event.event !== 'command') {
      forget(session.id, event.id);
    }
    send({ ...event, session_id: session.id });
  };

  const feed = createSessionFeed({
    list: options.list,
    only: null,
    handlers: {
      started: (session) => send({ event: 'session-started', session_id: session.id }),
      ended(session) {
        known.delete(session.id);
        send({ event: 'session-ended', session_id: session.id });
      },
      event: relay,
      pending(session, approvals) {
        // Heals the gap while a subscription was connecting; ids already told are not told again.
        for (const approval of approvals) {
          if (!knownOf(session.id).pending.has(approval.id)) relay(session, { event: 'pending', approval });
        }
      },
      note: options.note,
    },
  });
  const poll = (): void => {
    void feed.poll().finally(() => {
      if (!closed) poller = setTimeout(poll, POLL_MS);
    });
  };
  const heartbeat = setInterval(() => {
    for (const res of clients) res.write(': still here\n\n');
  }, HEARTBEAT_MS);
  poll();

  return {
    attach(res) {
      if (closed || clients.size >= MAX_EVENT_CLIENTS) return false;
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
      res.write('retry: 2000\n\n'); // sends the headers now, so the page's EventSource opens at once
      clients.add(res);
      res.on('close', () => clients.delete(res));
      return true;
    },
    close() {
      closed = true;
      clearTimeout(poller);
      clearInterval(heartbeat);
      feed.close();
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
