// Reads a growing file as whole lines. Splitting happens on bytes, before decoding, so a line the
// writer has only half written — even one cut inside a multi-byte character — waits for its end.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

export interface LineTail {
  readonly path: string;
  /** Complete lines appended since the last call, without their '\n'. */
  readLines(): string[];
  /** Bytes after the last '\n' (a line still being written, or a cut one); null when there are none. */
  partial(): string | null;
  /** True once when the file became shorter than what was read: an append-only log was rewritten. */
  shrank(): boolean;
  close(): void;
}

export function openLineTail(path: string): LineTail {
  const fd = openSync(path, 'r');
  let offset = 0;
  let pending = Buffer.alloc(0);
  let shrunk = false;
  const chunk = Buffer.alloc(CHUNK);
  return {
    path,
    readLines() {
      if (fstatSync(fd).size < offset) {
        shrunk = true;
        offset = 0;
        pending = Buffer.alloc(0);
      }
      const parts: Buffer[] = [pending];
      for (;;) {
        const n = readSync(fd, chunk, 0, CHUNK, offset);
        if (n === 0) break;
        parts.push(Buffer.from(chunk.subarray(0, n)));
        offset += n;
      }
      const data = Buffer.concat(parts);
      const lines: string[] = [];
      let start = 0;
      for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
        lines.push(data.subarray(start, nl).toString('utf8'));
        start = nl + 1;
      }
      pending = Buffer.from(data.subarray(start));
      return lines;
    },
    partial() {
      return pending.length === 0 ? null : pending.toString('utf8');
    },
    shrank() {
      const was = shrunk;
      shrunk = false;
      return was;
    },
    close() {
      closeSync(fd);
    },
  };
}
