// The output side of `shimgate watch`: plain lines scrolling up, and at most one prompt line at the
// bottom. On a terminal the prompt is redrawn in place with \r and "erase to end of line" (ESC [ K,
// understood by every VT100-style terminal, over SSH too); a pipe gets each prompt once and no redraws.

export interface WatchScreen {
  /** Prints a whole line above the prompt; the prompt, if any, is drawn again under it. */
  line(text: string): void;
  /** Shows a prompt (replacing any other). */
  prompt(text: string): void;
  /** Rewrites the prompt in place (a countdown); does nothing on a pipe or without a prompt. */
  refresh(text: string): void;
  /** Takes the prompt away, leaving the cursor at the start of an empty line. */
  clearPrompt(): void;
}

const ERASE_LINE = '\r\x1b[K';

export function createWatchScreen(write: (text: string) => void, tty: boolean): WatchScreen {
  let shown: string | null = null;
  const erase = (): void => {
    if (shown === null) return;
    write(tty ? ERASE_LINE : '\n');
  };
  return {
    line(text) {
      erase();
      write(`${text}\n${shown ?? ''}`);
    },
    prompt(text) {
      erase();
      write(text);
      shown = text;
    },
    refresh(text) {
      if (!tty || shown === null || shown === text) return;
      write(`${ERASE_LINE}${text}`);
      shown = text;
    },
    clearPrompt() {
      erase();
      shown = null;
    },
  };
}
