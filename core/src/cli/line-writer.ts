import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

/**
 * Buffers text lines and writes them in large chunks, waiting when the
 * consumer is slow. A closed pipe (`| head`) ends the program quietly, as
 * a C tool's would.
 */
export class LineWriter {
  private parts: string[] = [];
  private size = 0;
  private readonly out: Writable;

  constructor(path?: string) {
    this.out = path ? createWriteStream(path) : process.stdout;
    this.out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }

  /** Adds a line (newline added here); call `flushIfFull()` once per batch. */
  line(text: string): void {
    this.parts.push(text);
    this.size += text.length + 1;
  }

  async flushIfFull(): Promise<void> {
    if (this.size >= 1 << 16) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = `${this.parts.join('\n')}\n`;
    this.parts = [];
    this.size = 0;
    if (!this.out.write(text)) await new Promise<void>((resolve) => this.out.once('drain', resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.out !== process.stdout) await new Promise<void>((resolve) => this.out.end(resolve));
  }
}
