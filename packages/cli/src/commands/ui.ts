// `shimgate ui [--port N]`: the admin web page of DESIGN §7 on 127.0.0.1, behind a random token that
// is part of the one URL printed. Serves until SIGINT or SIGTERM. The server lives in web/.
import type { Argv } from 'yargs';
import { ShimgateError } from '@shimgate/profile';
import { liveSessionsFromProcess } from '../admin/live-sessions.js';
import { auditDirFromEnv } from '../audit/audit-files.js';
import type { ExitCodeSink } from '../exit-code.js';
import { newToken } from '../web/request-guard.js';
import { createUiServer, UI_HOST } from '../web/ui-server.js';

const USAGE = `$0 ui [--port N]

Serve the admin page on http://${UI_HOST}:PORT (this machine only) and print its URL, which carries
a random token: every request needs it, so treat the URL like a password. The page lists the live
sessions, shows each call waiting for an admin with its time left and the buttons Approve, Approve
for session and Deny, and the latest audit events of a session. Ctrl-C (or SIGTERM) stops it.
Over SSH, forward the port first: ssh -L PORT:127.0.0.1:PORT host.`;

export function registerUiCommand(cli: Argv, exit: ExitCodeSink): void {
  cli.command(
    'ui',
    'serve the admin web page (approvals, sessions, audit) on 127.0.0.1',
    (y) => y.usage(USAGE).option('port', { type: 'number', describe: 'the port to listen on (default, or 0: a free one)' }),
    async (args) => {
      if (exit.code !== 0) return; // yargs calls the handler even after .fail() reported a usage error
      exit.code = await serve(checkedPort(args.port));
    },
  );
}

function checkedPort(port: number | undefined): number {
  if (port === undefined) return 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ShimgateError('UI_PORT', `--port ${Number.isNaN(port) ? 'needs a number' : `${port} is not a port`}: give a whole number from 1 to 65535 (0 or none: a free one)`);
  }
  return port;
}

async function serve(port: number): Promise<number> {
  liveSessionsFromProcess(); // a runtime root another user could have planted is refused now, not per request
  const token = newToken();
  const note = (text: string): void => void process.stderr.write(`shimgate ui: ${text}\n`);
  const server = createUiServer({ port, token, list: liveSessionsFromProcess, auditDir: auditDirFromEnv(process.env), note });
  const bound = await server.listen();
  process.stdout.write(`shimgate ui: http://${UI_HOST}:${bound}/?token=${token}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
