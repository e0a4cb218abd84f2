// Messages from shimgate to the caller go straight to the stderr fd the shim passed. The fd may be
// non-blocking (O_NONBLOCK is shared with the caller's shell), so EAGAIN is retried a few times.
import { writeSync } from 'node:fs';

const EAGAIN_RETRIES = 50;

export function writeToCaller(fd: number, text: string | Buffer): void {
  let data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let retries = 0;
  while (data.length > 0) {
    try {
      const written = writeSync(fd, data);
      data = data.subarray(written);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' && retries < EAGAIN_RETRIES) {
        retries += 1;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        continue;
      }
      return; // the caller closed its stderr or it stays full: the exit code still tells the story
    }
  }
}

export function callerMessage(command: string, message: string): string {
  return `shimgate: ${command}: ${message}\n`;
}
