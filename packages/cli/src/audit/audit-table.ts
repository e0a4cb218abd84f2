// The human view of audit events: one row per event, fixed-width columns so rows printed one at a
// time by --follow line up with the header. COMMAND is last so it can take the rest of the line.
// Pure: the caller says how wide the terminal is and whether to colour.
import { constants } from 'node:os';

export interface TableStyle {
  /** Terminal columns; Infinity when not a terminal (then nothing is cut). */
  width: number;
  colour: boolean;
}

const COLUMNS = [
  { title: 'TIME', width: 8 },
  { title: 'SESSION', width: 8 },
  { title: 'ACTION', width: 11 }, // "passthrough"
  { title: 'EXIT', width: 7 }, // "SIGTERM"
  { title: 'DURATION', width: 8, right: true },
] as const;
const GAP = '  ';
const FIXED_WIDTH = COLUMNS.reduce((sum, c) => sum + c.width + GAP.length, 0);
/** Below this the command is not worth cutting further; the terminal wraps the row instead. */
const MIN_COMMAND_WIDTH = 20;

const SGR = { bold: '\x1b[1m', red: '\x1b[31m', yellow: '\x1b[33m', magenta: '\x1b[35m', reset: '\x1b[0m' };
const ACTION_COLOUR: Readonly<Record<string, string>> = {
  deny: SGR.red, denied: SGR.red, error: SGR.red, unknown: SGR.magenta, approve: SGR.yellow, capture: SGR.yellow,
};

export function tableHeader(style: TableStyle): string {
  const cells = COLUMNS.map((c) => pad(c.title, c.width, 'right' in c));
  const text = [...cells, 'COMMAND'].join(GAP);
  return style.colour ? `${SGR.bold}${text}${SGR.reset}` : text;
}

/** `event` is a parsed audit line; fields that are missing or of the wrong type show as "-". */
export function tableRow(event: Readonly<Record<string, unknown>>, style: TableStyle): string {
  const action = text(event.action_type);
  const values = [
    clock(event.ts),
    text(event.session_id).slice(0, 8),
    action,
    result(event.exit_code, event.signal),
    duration(event.duration_ms),
  ].map((v) => escapeControls(v));
  const cells = COLUMNS.map((c, i) => pad(values[i] as string, c.width, 'right' in c));
  const colour = style.colour ? ACTION_COLOUR[action] : undefined;
  if (colour) cells[2] = `${colour}${cells[2]}${SGR.reset}`;
  const command = commandLine(event.command, event.args);
  return [...cells, cut(command, Math.max(style.width - FIXED_WIDTH, MIN_COMMAND_WIDTH))].join(GAP);
}

/** The call as a shell would read it back; `$'…'` makes control characters visible. */
export function commandLine(command: unknown, args: unknown): string {
  const argv = [text(command), ...(Array.isArray(args) ? args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))) : [])];
  return argv.map(shellQuote).join(' ');
}

/**
 * The agent chooses its arguments: printed raw, an escape sequence could rewrite the terminal, and a
 * bidi override could make a row read differently from what ran.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

export function shellQuote(arg: string): string {
  if (/^[\p{L}\p{N}_@%+=:,./-]+$/u.test(arg)) return arg;
  if (!UNPRINTABLE.test(arg)) return `'${arg.replaceAll("'", `'\\''`)}'`;
  return `$'${escapeControls(arg.replaceAll('\\', '\\\\').replaceAll("'", "\\'"))}'`;
}

export function escapeControls(value: string): string {
  return value.replace(new RegExp(UNPRINTABLE.source, 'gu'), (ch) => {
    const code = ch.codePointAt(0) as number;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export function duration(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export function result(exitCode: unknown, signal: unknown): string {
  if (typeof signal === 'number') return signalName(signal);
  if (typeof signal === 'string' && signal !== '') return signal;
  return typeof exitCode === 'number' ? String(exitCode) : '-';
}

function signalName(signal: number): string {
  const entry = Object.entries(constants.signals).find(([, n]) => n === signal);
  return entry ? entry[0] : `signal ${signal}`;
}

/** Local wall-clock time, as the `date` next to the terminal would show it. */
function clock(ts: unknown): string {
  const date = typeof ts === 'string' ? new Date(ts) : null;
  if (!date || Number.isNaN(date.getTime())) return '--:--:--';
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function text(value: unknown): string {
  return typeof value === 'string' && value !== '' ? value : '-';
}

function pad(value: string, width: number, right: boolean): string {
  return right ? value.padStart(width) : value.padEnd(width);
}

/** Cuts on code points, never inside a surrogate pair. */
function cut(value: string, width: number): string {
  const chars = Array.from(value);
  return chars.length <= width ? value : `${chars.slice(0, width - 1).join('')}…`;
}
