// Keys for `shimgate watch`. On a terminal: raw mode, one key per keypress, no Enter needed (Ctrl-C and
// Ctrl-D arrive as bytes, not signals). Otherwise (a pipe, a script): line mode, the first character of
// each non-empty line is the key.

export type KeyEvent = { kind: 'key'; key: string } | { kind: 'interrupt' } | { kind: 'end' };

export interface KeyInput {
  readonly raw: boolean;
  close(): void;
}

const CTRL_C = '\x03';
const CTRL_D = '\x04';

export function readKeys(stdin: NodeJS.ReadStream, onKey: (event: KeyEvent) => void): KeyInput {
  const raw = stdin.isTTY === true;
  let buffered = '';
  const onData = (chunk: string): void => {
    if (raw) {
      for (const ch of chunk) {
        if (ch === CTRL_C) return onKey({ kind: 'interrupt' });
        if (ch === CTRL_D) return onKey({ kind: 'end' });
        if (ch === '\x1b') return; // the rest of an escape sequence (arrow keys) is not a key either
        onKey({ kind: 'key', key: ch.toLowerCase() });
      }
      return;
    }
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const key = line.trim().charAt(0).toLowerCase();
      if (key !== '') onKey({ kind: 'key', key });
    }
  };
  const onEnd = (): void => onKey({ kind: 'end' });
  stdin.setEncoding('utf8');
  if (raw) stdin.setRawMode(true);
  stdin.on('data', onData);
  stdin.on('end', onEnd);
  stdin.resume();
  return {
    raw,
    close() {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      if (raw) stdin.setRawMode(false);
      stdin.pause();
    },
  };
}
