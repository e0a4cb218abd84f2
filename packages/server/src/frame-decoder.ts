// Splits a byte stream into frames: u32 big-endian length ‖ JSON (DESIGN §4.1).
export type FrameResult = { ok: true; value: unknown } | { ok: false; reason: string };

export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrame: number) {}

  /** Adds bytes and returns every frame now complete; a bad frame ends the stream for the caller. */
  push(chunk: Buffer): FrameResult[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: FrameResult[] = [];
    while (this.pending.length >= 4) {
      const length = this.pending.readUInt32BE(0);
      if (length > this.maxFrame) {
        frames.push({ ok: false, reason: `frame of ${length} bytes is over the ${this.maxFrame}-byte limit` });
        return frames;
      }
      if (this.pending.length < 4 + length) break;
      const body = this.pending.subarray(4, 4 + length);
      this.pending = this.pending.subarray(4 + length);
      frames.push(parseJson(body));
    }
    return frames;
  }

  /** Bytes of a frame that has begun but not ended. */
  get buffered(): number {
    return this.pending.length;
  }
}

function parseJson(body: Buffer): FrameResult {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch (err) {
    return { ok: false, reason: `frame is not JSON: ${(err as Error).message}` };
  }
}

export function encodeFrame(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length, 0);
  return Buffer.concat([header, body]);
}
