// `shimgate audit [--session ID] [--follow] [--json]` and `shimgate audit verify [FILE]`: read the
// audit log of DESIGN §6 and check its hash chain.
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { ShimgateError } from '@shimgate/profile';
import { verifyChain } from '@shimgate/server';
import { auditDirFromEnv, findSessionFile, listAuditFiles, type AuditFile } from '../audit/audit-files.js';
import { followFile } from '../audit/audit-follow.js';
import { createEventPrinter, type EventPrinter } from '../audit/event-printer.js';
import { openLineTail, type LineTail } from '../audit/line-tail.js';
import type { ExitCodeSink } from '../exit-code.js';

const USAGE = `$0 audit [--session ID] [--follow] [--json]
$0 audit verify [FILE]

Print the audit events of mediated calls (every session, oldest first), or check the hash chain of
audit files. Audit files live in $XDG_STATE_HOME/shimgate/audit/<session-id>.jsonl.`;

interface PrintOptions {
  session: string | undefined;
  follow: boolean;
  json: boolean;
}

export function registerAuditCommands(cli: Argv, exit: ExitCodeSink): void {
  cli.command(
    'audit',
    'print the audit log of mediated calls, or verify its hash chain',
    (y) =>
      y
        .usage(USAGE)
        .option('session', { type: 'string', global: false, describe: 'only this session (its id, or the start of it)' })
        .option('follow', { type: 'boolean', default: false, global: false, describe: 'keep printing events as they are written, until Ctrl-C' })
        .option('json', { type: 'boolean', default: false, global: false, describe: 'print each event exactly as stored, one JSON object per line' })
        .command(
          'verify [file]',
          'check the hash chain of FILE, or of every audit file; exit 1 if any is broken',
          (v) => v.positional('file', { type: 'string', describe: 'an audit file (default: every file in the audit directory)' }),
          (args) => {
            if (exit.code !== 0) return; // yargs has already reported a usage error
            exit.code = verifyFiles(args.file);
          },
        ),
    async (args) => {
      if (exit.code !== 0) return; // yargs calls the handler even after .fail() reported a usage error
      exit.code = await printAudit({ session: args.session, follow: args.follow, json: args.json });
    },
  );
}

async function printAudit(options: PrintOptions): Promise<number> {
  const dir = auditDirFromEnv(process.env);
  const files = options.session === undefined ? listAuditFiles(dir) : [findSessionFile(dir, options.session)];
  const followed = options.follow ? files.at(-1) : undefined;
  if (files.length === 0) {
    if (options.follow) throw new ShimgateError('AUDIT_NONE', `no audit files in ${dir} to follow: start a session with "shimgate run" first`);
    process.stderr.write(`shimgate: no audit files in ${dir}\n`);
    return 0;
  }
  // `shimgate audit | head` closes the pipe early; that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const printer = createEventPrinter({
    json: options.json,
    style: { width: process.stdout.isTTY ? process.stdout.columns || 80 : Infinity, colour: wantsColour() },
  });
  if (followed && options.session === undefined) {
    process.stderr.write(`shimgate: following session ${followed.sessionId}, the newest (${followed.path}); Ctrl-C to stop\n`);
  }
  const follower = followed ? startFollowing(followed, printer) : undefined;
  try {
    printer.header();
    let unreadable = 0;
    for (const file of files) {
      if (file !== followed && !printWholeFile(file, printer)) unreadable += 1;
    }
    const followCode = follower ? await follower.run() : 0;
    return unreadable > 0 ? 1 : followCode;
  } finally {
    follower?.close();
  }
}

/** False when the file could not be read (said on stderr); the others are still printed. */
function printWholeFile(file: AuditFile, printer: EventPrinter): boolean {
  let tail: LineTail;
  try {
    tail = openLineTail(file.path);
  } catch (err) {
    process.stderr.write(`shimgate: cannot read ${file.path}: ${(err as Error).message}\n`);
    return false;
  }
  try {
    printer.lines(file.path, tail.readLines());
    const rest = tail.partial(); // a last line without its '\n' is still part of the file
    if (rest !== null) printer.lines(file.path, [rest]);
  } finally {
    tail.close();
  }
  return true;
}

/** Opens the file and takes the stop signals now; `run` prints what exists, then follows. */
function startFollowing(file: AuditFile, printer: EventPrinter): { run(): Promise<number>; close(): void } {
  let tail: LineTail;
  try {
    tail = openLineTail(file.path);
  } catch (err) {
    throw new ShimgateError('AUDIT_READ', `cannot read ${file.path}: ${(err as Error).message}`, { cause: err });
  }
  let failed = false;
  const check = (): void => {
    const lines = tail.readLines();
    if (tail.shrank()) {
      process.stderr.write(`shimgate: ${file.path} became shorter (an append-only log was rewritten); reading it again from the start\n`);
      printer.restart(file.path);
    }
    printer.lines(file.path, lines);
  };
  const follower = followFile(file.path, check, {
    onError(err) {
      failed = true;
      process.stderr.write(`shimgate: cannot follow ${file.path}: ${(err as Error).message}\n`);
    },
  });
  return {
    async run() {
      check();
      await follower.done;
      return failed ? 1 : 0;
    },
    close() {
      follower.stop();
      tail.close();
    },
  };
}

function verifyFiles(file: string | undefined): number {
  const dir = auditDirFromEnv(process.env);
  const paths = file === undefined ? listAuditFiles(dir).map((f) => f.path) : [file];
  if (paths.length === 0) {
    process.stderr.write(`shimgate: no audit files in ${dir}\n`);
    return 0;
  }
  let bad = 0;
  for (const path of paths) {
    const line = verifyOne(path);
    if (!line.ok) bad += 1;
    process.stdout.write(`${line.text}\n`);
  }
  if (bad > 0 && paths.length > 1) process.stderr.write(`${bad} of ${paths.length} audit files broken or unreadable\n`);
  return bad > 0 ? 1 : 0;
}

function verifyOne(path: string): { ok: boolean; text: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, text: `${path}: unreadable: ${(err as Error).message}` };
  }
  const check = verifyChain(text);
  if (!check.ok) return { ok: false, text: `${path}: broken at line ${check.line}: ${check.reason}` };
  return { ok: true, text: `${path}: ok (${check.lines} ${check.lines === 1 ? 'event' : 'events'})` };
}

function wantsColour(): boolean {
  return process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}
