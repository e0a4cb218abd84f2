// `shimgate sessions [--json]`: the live sessions (DESIGN §3), each with its pending approval count as
// its control socket reports it.
import type { Argv } from 'yargs';
import { sessionsTable } from '../admin/admin-format.js';
import { fetchStatus } from '../admin/control-protocol.js';
import { liveSessionsFromProcess } from '../admin/live-sessions.js';
import type { ExitCodeSink } from '../exit-code.js';

const USAGE = `$0 sessions [--json]

List the live sessions of this user: id, name, profile, start time, pending approvals ("?" when
the session's control socket does not answer), whether the agent runs UNCONFINED, and the agent
command.`;

export function registerSessionsCommand(cli: Argv, exit: ExitCodeSink): void {
  cli.command(
    'sessions',
    'list live sessions and their pending approval counts',
    (y) =>
      y
        .usage(USAGE)
        .option('json', { type: 'boolean', default: false, describe: 'print an array of session.json objects, each with "pending" (null: no answer)' }),
    async (args) => {
      if (exit.code !== 0) return; // yargs calls the handler even after .fail() reported a usage error
      exit.code = await printSessions(args.json);
    },
  );
}

async function printSessions(json: boolean): Promise<number> {
  const sessions = liveSessionsFromProcess();
  const rows = await Promise.all(
    sessions.map(async (s) => {
      try {
        return { record: s.record, pending: (await fetchStatus(s.controlSocket)).pending.length };
      } catch {
        return { record: s.record, pending: null }; // shown as "?": a session still starting, or wedged
      }
    }),
  );
  if (json) {
    process.stdout.write(`${JSON.stringify(rows.map((r) => ({ ...r.record, pending: r.pending })), null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    process.stderr.write('shimgate: no live sessions\n');
    return 0;
  }
  process.stdout.write(`${sessionsTable(rows).join('\n')}\n`);
  return 0;
}
