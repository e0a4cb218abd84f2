// Turns stored audit lines into output: the lines themselves for --json, table rows otherwise.
// Each batch is one write, so a large file does not cost a syscall per event.
import { tableHeader, tableRow, type TableStyle } from './audit-table.js';

export interface EventPrinter {
  header(): void;
  /** `lines` are consecutive lines of `path`, without their '\n'. */
  lines(path: string, lines: readonly string[]): void;
  /** `path` is being read again from its first line (line numbers in warnings start over). */
  restart(path: string): void;
}

export function createEventPrinter(options: { json: boolean; style: TableStyle }): EventPrinter {
  const seen = new Map<string, number>();
  return {
    header() {
      if (!options.json) process.stdout.write(`${tableHeader(options.style)}\n`);
    },
    lines(path, lines) {
      if (lines.length === 0) return;
      const first = (seen.get(path) ?? 0) + 1;
      seen.set(path, first - 1 + lines.length);
      if (options.json) {
        process.stdout.write(`${lines.join('\n')}\n`);
        return;
      }
      const rows: string[] = [];
      lines.forEach((line, i) => {
        const event = parseEvent(line);
        if (event) rows.push(tableRow(event, options.style));
        else process.stderr.write(`shimgate: ${path}:${first + i}: not an audit event (not a JSON object); skipped\n`);
      });
      if (rows.length > 0) process.stdout.write(`${rows.join('\n')}\n`);
    },
    restart(path) {
      seen.delete(path);
    },
  };
}

/** A copy without a prototype: the file is data, and a `__proto__` key in it must stay a key. */
function parseEvent(line: string): Readonly<Record<string, unknown>> | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return Object.assign(Object.create(null) as Record<string, unknown>, value);
}
