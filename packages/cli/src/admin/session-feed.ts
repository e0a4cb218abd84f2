// Keeps one event subscription open to every live session (DESIGN §7), including sessions started after
// us: `poll` (run every 2 s by `shimgate watch`) lists live sessions, subscribes to new ones, drops dead
// ones, and asks each for its pending list. The pending list heals the one gap a stream has: a request
// made while the subscription was still connecting.
import { escapeControls } from '../audit/audit-table.js';
import { controlSubscribe, type ControlSubscription } from './control-client.js';
import { fetchPending, parseControlEvent, type ControlEvent, type PendingApproval } from './control-protocol.js';
import type { LiveSession } from './live-sessions.js';

export const POLL_MS = 2_000;

export interface SessionFeedHandlers {
  started(session: LiveSession): void;
  ended(session: LiveSession): void;
  event(session: LiveSession, event: ControlEvent): void;
  pending(session: LiveSession, approvals: readonly PendingApproval[]): void;
  /** Something worth one line: a session that cannot be reached, or can again. */
  note(text: string): void;
}

export interface SessionFeed {
  poll(): Promise<void>;
  close(): void;
}

interface Watched {
  session: LiveSession;
  subscription: ControlSubscription | null;
  /** Why the last subscription ended; told at the next poll, unless the session turns out to be gone. */
  lastEnd: string | null;
  /** The reason last told, so a session that keeps refusing is mentioned once. */
  trouble: string | null;
}

export function createSessionFeed(options: { list: () => LiveSession[]; only: string | null; handlers: SessionFeedHandlers }): SessionFeed {
  const { handlers } = options;
  const watched = new Map<string, Watched>();
  let closed = false;
  let listTrouble: string | null = null;

  const subscribe = (w: Watched): void => {
    w.subscription = controlSubscribe(
      w.session.controlSocket,
      (value) => {
        const event = parseControlEvent(value);
        if (event && !closed) handlers.event(w.session, event);
      },
      (err) => {
        w.subscription = null;
        w.lastEnd = err ? err.message : 'the session closed its control socket';
      },
    );
  };

  const live = (): LiveSession[] | null => {
    try {
      // A starting session has no control socket yet; it is picked up once it says it is running.
      const sessions = options.list().filter((s) => s.record.status === 'running' && (options.only === null || s.id === options.only));
      listTrouble = null;
      return sessions;
    } catch (err) {
      const message = (err as Error).message;
      if (message !== listTrouble) handlers.note(`cannot list sessions: ${message}`);
      listTrouble = message;
      return null;
    }
  };

  return {
    async poll() {
      if (closed) return;
      const sessions = live();
      if (sessions === null) return;
      const ids = new Set(sessions.map((s) => s.id));
      for (const [id, w] of watched) {
        if (ids.has(id)) continue;
        w.subscription?.close();
        watched.delete(id);
        handlers.ended(w.session);
      }
      for (const session of sessions) {
        let w = watched.get(session.id);
        if (!w) {
          w = { session, subscription: null, lastEnd: null, trouble: null };
          watched.set(session.id, w);
          handlers.started(session);
        }
        if (w.subscription !== null) continue;
        if (w.lastEnd !== null && w.lastEnd !== w.trouble) {
          handlers.note(`session ${w.session.id}: ${escapeControls(w.lastEnd)}; trying again every ${POLL_MS / 1000} s while it runs`);
          w.trouble = w.lastEnd;
        }
        subscribe(w);
      }
      await Promise.all(
        [...watched.values()].map(async (w) => {
          try {
            const approvals = await fetchPending(w.session.controlSocket);
            if (!closed && watched.get(w.session.id) === w) handlers.pending(w.session, approvals);
            if (w.trouble !== null && w.subscription !== null) {
              handlers.note(`session ${w.session.id}: reachable again`);
              w.trouble = null;
            }
          } catch {
            // the subscription's end (or the next poll) says why
          }
        }),
      );
    },
    close() {
      closed = true;
      for (const w of watched.values()) w.subscription?.close();
      watched.clear();
    },
  };
}
