import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

const CHUNK = 1 << 20;

/**
 * Writes text lines into a large buffer and hands full buffers to the output,
 * waiting when the consumer is slow. Copying each line into bytes at once
 * (instead of keeping the strings until a join) lets them die young: with
 * millions of lines, that is most of the garbage collector's work saved. A
 * closed pipe (`| head`) ends the program quietly, as a C tool's would.
 */
export class LineWriter {
  private buf = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  private readonly out: Writable;

  /** `latin1` is faster than UTF-8 and exact for output known to be ASCII (bgpdump lines). */
  constructor(
    path?: string,
    private readonly encoding: 'utf8' | 'latin1' = 'utf8',
  ) {
    this.out = path ? createWriteStream(path) : process.stdout;
    this.out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }

  /** Adds a line (the newline is added here); call `flushIfFull()` once per batch. */
  line(text: string): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
    const room = this.encoding === 'utf8' ? text.length * 3 + 1 : text.length + 1;
    if (this.used + room > this.buf.length) {
      this.pushChunk();
      if (room > this.buf.length) this.buf = Buffer.allocUnsafe(room);
    }
    this.used += this.buf.write(text, this.used, this.encoding);
    this.buf[this.used++] = 10;
  }

  async flushIfFull(): Promise<void> {
    if (this.used >= CHUNK / 2) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.pushChunk()) await new Promise<void>((resolve) => this.out.once('drain', resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.out !== process.stdout) await new Promise<void>((resolve) => this.out.end(resolve));
  }

  /** Hands the filled part to the output and starts a new buffer; false when the output asks to wait. */
  private pushChunk(): boolean {
    if (this.used === 0) return true;
    const filled = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.used = 0;
    return this.out.write(filled);
  }
}
