// `shimgate watch [--session ID]`: the admin console of DESIGN §7 for a plain terminal (over SSH too).
// It follows every live session, shows each new approval request with a countdown, and answers it with
// one key. Wiring only: admin/watch-console.ts decides what to print, admin/session-feed.ts follows the
// sessions.
import type { Argv } from 'yargs';
import { escapeControls } from '../audit/audit-table.js';
import { pendingCommand } from '../admin/admin-format.js';
import { sendDecision } from '../admin/control-protocol.js';
import { desktopNotifier } from '../admin/desktop-notify.js';
import { readKeys, type KeyEvent } from '../admin/key-input.js';
import { liveSessionsFromProcess, selectSession, type LiveSession } from '../admin/live-sessions.js';
import { createSessionFeed, POLL_MS } from '../admin/session-feed.js';
import { createWatchConsole, PROMPT } from '../admin/watch-console.js';
import { createWatchScreen } from '../admin/watch-screen.js';
import type { ExitCodeSink } from '../exit-code.js';

const USAGE = `$0 watch [--session ID]

An admin console: follows every live session (and sessions started later), shows each call that
waits for an admin with its session, command, working directory, parent and rule, and asks
  ${PROMPT}
while its time left counts down. Keys act at once on a terminal; from a pipe, type the key and
Enter. Decisions of other admins, expired and withdrawn requests are shown one line each. Ctrl-C
quits. With notify-send installed and a graphical session (DISPLAY or WAYLAND_DISPLAY), each new
request also shows a desktop notification.`;

const TICK_MS = 1_000;

export function registerWatchCommand(cli: Argv, exit: ExitCodeSink): void {
  cli.command(
    'watch',
    'interactive console: answer approval requests as they arrive',
    (y) => y.usage(USAGE).option('session', { type: 'string', describe: 'only this session (its id, or the start of it)' }),
    async (args) => {
      if (exit.code !== 0) return; // yargs calls the handler even after .fail() reported a usage error
      exit.code = await watch(args.session);
    },
  );
}

async function watch(sessionRef: string | undefined): Promise<number> {
  const only = sessionRef === undefined ? null : selectSession(liveSessionsFromProcess(), sessionRef).id;
  const screen = createWatchScreen((text) => process.stdout.write(text), process.stdout.isTTY === true);
  const notify = desktopNotifier(process.env);
  const sessions = new Map<string, LiveSession>();
  const admin = createWatchConsole({
    screen,
    now: () => Date.now(),
    decide: (sessionId, approval, decision, scope) => {
      const session = sessions.get(sessionId);
      if (!session) return Promise.resolve({ ok: false, error: 'the session has ended' });
      return sendDecision(session.controlSocket, { id: approval.id, decision, scope, reason: null });
    },
    notify: (approval) => notify?.(pendingCommand(approval)),
  });
  const feed = createSessionFeed({
    list: liveSessionsFromProcess,
    only,
    handlers: {
      started(session) {
        sessions.set(session.id, session);
        const r = session.record;
        const unconfined = r.unconfined ? ', UNCONFINED' : '';
        screen.line(`watching session ${session.id} (${escapeControls(r.name)}, profile ${escapeControls(r.profile)}${unconfined})`);
      },
      ended(session) {
        sessions.delete(session.id);
        admin.sessionEnded(session.id, session.record.name);
      },
      event: (session, event) => admin.event(session.id, event),
      pending(session, approvals) {
        for (const approval of approvals) admin.pending(session.id, approval);
      },
      note: (text) => screen.line(text),
    },
  });

  return new Promise<number>((resolve) => {
    let stopped = false;
    let poller: NodeJS.Timeout | undefined;
    const quit = (why: string | null): void => {
      if (stopped) return;
      stopped = true;
      clearInterval(ticker);
      clearTimeout(poller);
      feed.close();
      keys.close();
      process.off('SIGINT', onSigint);
      screen.clearPrompt();
      if (why !== null) screen.line(why);
      resolve(0);
    };
    const onSigint = (): void => quit(null);
    const poll = (): void => {
      feed
        .poll()
        .catch((err: unknown) => screen.line(`shimgate: ${escapeControls((err as Error).message)}`))
        .finally(() => {
          if (!stopped) poller = setTimeout(poll, POLL_MS);
        });
    };
    const ticker = setInterval(() => admin.tick(), TICK_MS);
    const keys = readKeys(process.stdin, (event: KeyEvent) => {
      if (event.kind === 'interrupt') quit(null);
      else if (event.kind === 'end') quit('input closed; stopping');
      else admin.key(event.key);
    });
    process.on('SIGINT', onSigint);
    screen.line(`watching for approval requests${only === null ? '' : ` in session ${only}`} (Ctrl-C to quit)`);
    poll();
  });
}
