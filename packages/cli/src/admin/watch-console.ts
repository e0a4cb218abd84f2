// What `shimgate watch` does with events and keys: one request at a time is shown with its details and
// a prompt whose time left counts down; the rest wait in arrival order. A request decided by another
// admin, expired or withdrawn leaves the queue with one line. No sockets, timers or stdin here: the
// command feeds events, keys and one tick a second, and supplies `decide`, so tests can drive it.
import { escapeControls } from '../audit/audit-table.js';
import { closedLine, decidedElsewhereLine, decisionLine, pendingCommand, pendingDetails, timeLeft } from './admin-format.js';
import type { ControlEvent, Decision, PendingApproval, Scope } from './control-protocol.js';
import type { WatchScreen } from './watch-screen.js';

export const PROMPT = '[a]pprove / [d]eny / approve for [s]ession / s[k]ip';

export interface WatchConsoleOptions {
  screen: WatchScreen;
  now(): number;
  decide(sessionId: string, approval: PendingApproval, decision: Decision, scope: Scope): Promise<{ ok: true } | { ok: false; error: string }>;
  /** Called once per request the first time it is seen. */
  notify(approval: PendingApproval): void;
}

export interface WatchConsole {
  /** A pending request of session `sessionId`, from its event stream or a `pending` answer; repeats are ignored. */
  pending(sessionId: string, approval: PendingApproval): void;
  /** Any other event of the session's stream. */
  event(sessionId: string, event: ControlEvent): void;
  /** The session is gone, and so are its requests; says so in one line. `name` is as session.json gives it. */
  sessionEnded(sessionId: string, name: string): void;
  key(key: string): void;
  tick(): void;
}

/** open: queued or shown; mine: we sent a decision (its echo is not printed); skipped: still pending, not ours to show. */
type State = 'open' | 'mine' | 'skipped' | 'closed';

interface Entry {
  sessionId: string;
  approval: PendingApproval;
  command: string;
  state: State;
}

const ACTIONS: Readonly<Record<string, readonly [Decision, Scope]>> = { a: ['approve', 'once'], s: ['approve', 'session'], d: ['deny', 'once'] };

export function createWatchConsole(options: WatchConsoleOptions): WatchConsole {
  const { screen } = options;
  const entries = new Map<string, Entry>();
  let waiting: Entry[] = [];
  let current: Entry | null = null;
  let busy = false;

  const keyOf = (sessionId: string, id: string): string => `${sessionId}/${id}`;
  const promptText = (entry: Entry): string => `${PROMPT}  (${timeLeft(entry.approval.expires_at, options.now())} left) `;

  const show = (entry: Entry): void => {
    screen.clearPrompt();
    for (const line of pendingDetails(entry.approval)) screen.line(line);
    screen.prompt(promptText(entry));
  };
  const next = (): void => {
    current = null;
    while (waiting.length > 0) {
      const entry = waiting.shift() as Entry;
      if (timeLeft(entry.approval.expires_at, options.now()) !== 'expired') {
        current = entry;
        return show(entry);
      }
      entry.state = 'closed';
      screen.line(closedLine(entry.approval.id, entry.command, 'expired'));
    }
    screen.clearPrompt();
    screen.line('no pending requests; waiting for more (Ctrl-C to quit)');
  };
  /** Takes a request out of the queue after a line saying why. */
  const close = (entry: Entry, line: string): void => {
    entry.state = 'closed';
    screen.line(line);
    waiting = waiting.filter((e) => e !== entry);
    if (current === entry && !busy) next(); // a decision in flight moves on by itself when it returns
  };

  const act = async (entry: Entry, decision: Decision, scope: Scope): Promise<void> => {
    busy = true;
    entry.state = 'mine';
    screen.clearPrompt();
    let line: string;
    try {
      const result = await options.decide(entry.sessionId, entry.approval, decision, scope);
      line = result.ok ? decisionLine(entry.approval.id, decision, scope, entry.command) : failed(entry, decision, result.error);
    } catch (err) {
      line = failed(entry, decision, (err as Error).message);
    }
    entry.state = 'closed';
    busy = false;
    screen.line(line);
    next();
  };

  const addPending = (sessionId: string, approval: PendingApproval): void => {
    const key = keyOf(sessionId, approval.id);
    if (entries.has(key)) return;
    const entry: Entry = { sessionId, approval, command: pendingCommand(approval), state: 'open' };
    entries.set(key, entry);
    options.notify(approval);
    if (current === null && !busy) {
      current = entry;
      return show(entry);
    }
    waiting.push(entry);
    screen.line(`queued ${escapeControls(approval.id)} (${entry.command}) from session ${escapeControls(sessionId)}; ${waiting.length} waiting`);
  };

  return {
    pending: addPending,
    event(sessionId, event) {
      if (event.event === 'pending') return addPending(sessionId, event.approval);
      if (event.event === 'command') return;
      const entry = entries.get(keyOf(sessionId, event.id));
      if (entry?.state === 'closed' || (entry?.state === 'mine' && event.event === 'decided')) return;
      const command = entry?.command ?? null;
      const line = event.event === 'decided' ? decidedElsewhereLine(event.id, command, event) : closedLine(event.id, command, event.event);
      if (!entry) return screen.line(line); // decided before we saw it: still worth knowing
      close(entry, line);
    },
    sessionEnded(sessionId, name) {
      const gone = [...entries.values()].filter((e) => e.sessionId === sessionId && (e === current || waiting.includes(e)));
      waiting = waiting.filter((e) => !gone.includes(e));
      for (const entry of gone) entry.state = 'closed';
      const lost = gone.length === 0 ? '' : `; ${gone.length} pending request${gone.length === 1 ? '' : 's'} went with it`;
      screen.line(`session ${escapeControls(sessionId)} (${escapeControls(name)}) has ended${lost}`);
      if (current !== null && gone.includes(current) && !busy) next();
    },
    key(key) {
      if (current === null || busy) {
        if (current === null && !busy && /^[adsk]$/.test(key)) screen.line('nothing to answer yet');
        return;
      }
      const entry = current;
      const action = ACTIONS[key];
      if (action) return void act(entry, action[0], action[1]);
      if (key === 'k') {
        entry.state = 'skipped';
        screen.clearPrompt();
        screen.line(`skipped ${escapeControls(entry.approval.id)}: still pending for other admins ("shimgate approve ${escapeControls(entry.approval.id)}")`);
        return next();
      }
      if (/^[\x20-\x7e]$/.test(key)) screen.line('press a to approve, d to deny, s to approve for the session, k to skip');
    },
    tick() {
      if (current === null || busy) return;
      if (timeLeft(current.approval.expires_at, options.now()) === 'expired') {
        screen.clearPrompt();
        return close(current, closedLine(current.approval.id, current.command, 'expired'));
      }
      screen.refresh(promptText(current));
    },
  };
}

function failed(entry: Entry, decision: Decision, error: string): string {
  return `could not ${decision} ${escapeControls(entry.approval.id)} (${entry.command}): ${escapeControls(error)}`;
}
