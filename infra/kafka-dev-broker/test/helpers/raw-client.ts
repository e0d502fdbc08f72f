import { connect, type Socket } from 'node:net';
import { encodeRequestFrame, FrameDecoder } from '../../src/protocol/frame.js';
import { Reader } from '../../src/protocol/reader.js';
import type { Writer } from '../../src/protocol/writer.js';

export interface RawResponse {
  correlationId: number;
  /** The body after the 4-byte response header v0. */
  body: Reader;
  /** The whole frame after the size field (header + body). */
  frame: Buffer;
}

/**
 * A minimal Kafka client over a real socket: sends request frames and reads response frames in order.
 * Used to test what the high-level clients never do (pipelining, split frames, bad requests).
 */
export class RawClient {
  private readonly decoder = new FrameDecoder();
  private readonly frames: Buffer[] = [];
  private waiters: (() => void)[] = [];
  private correlation = 100;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.frames.push(...this.decoder.push(chunk));
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => {
        s.off('error', reject);
        resolve(new RawClient(s));
      });
      s.once('error', reject);
    });
  }

  private notify(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  /** Builds a request frame with header v1 (v2 for flexible versions) and client id "raw". */
  frame(
    apiKey: number,
    apiVersion: number,
    body: (w: Writer) => void,
    correlationId = this.correlation++,
  ): Buffer {
    return encodeRequestFrame({ apiKey, apiVersion, correlationId, clientId: 'raw' }, body);
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next response frame, or an error if the connection closes or nothing arrives in time. */
  async next(timeoutMs = 5000): Promise<RawResponse> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a response');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    const frame = this.frames.shift()!;
    const correlationId = frame.readInt32BE(0);
    return { correlationId, body: new Reader(frame, 4), frame };
  }

  /** Sends one request and decodes its response body. */
  async request<T>(
    apiKey: number,
    apiVersion: number,
    body: (w: Writer) => void,
    decode: (r: Reader) => T,
  ): Promise<T> {
    const correlationId = this.correlation++;
    this.write(this.frame(apiKey, apiVersion, body, correlationId));
    const res = await this.next();
    if (res.correlationId !== correlationId) {
      throw new Error(`correlation id ${res.correlationId}, expected ${correlationId}`);
    }
    return decode(res.body);
  }

  /** Resolves true when the broker closes the connection within the time. */
  async waitClosed(timeoutMs = 3000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

export function hex(s: string): Buffer {
  return Buffer.from(s.replace(/[^0-9a-fA-F]/g, ''), 'hex');
}
