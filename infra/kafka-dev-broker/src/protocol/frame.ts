import { ProtocolError } from './errors.js';
import { encodeRequestHeader, type RequestHeader } from './request-header.js';
import { Writer } from './writer.js';

/** Kafka's default `socket.request.max.bytes` (100 MiB). */
export const DEFAULT_MAX_FRAME_BYTES = 104_857_600;

/**
 * Splits a TCP byte stream into frames (`INT32 size` + `size` bytes). Chunks are kept in a list and only
 * joined once a whole frame is present, so a large frame arriving in many small chunks costs O(n).
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected = -1;

  constructor(private readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** Bytes received but not yet returned as frames. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Adds a chunk and returns the frame bodies (without the size prefix) it completed. Throws on a bad size. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < 4) break;
        const size = this.peekInt32();
        if (size < 0 || size > this.maxFrameBytes) {
          throw new ProtocolError(`frame size ${size} outside 0..${this.maxFrameBytes}`);
        }
        this.consume(4);
        this.expected = size;
      }
      if (this.buffered < this.expected) break;
      frames.push(this.consume(this.expected));
      this.expected = -1;
    }
    return frames;
  }

  private peekInt32(): number {
    const first = this.chunks[0];
    if (first.length >= 4) return first.readInt32BE(0);
    return Buffer.concat(this.chunks, 4).readInt32BE(0);
  }

  private consume(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      let used = 0; // chunks consumed completely; removed with one splice (shift() per chunk is quadratic)
      while (filled < n) {
        const c = this.chunks[used];
        const take = Math.min(c.length, n - filled);
        c.copy(out, filled, 0, take);
        filled += take;
        if (take === c.length) used++;
        else this.chunks[used] = c.subarray(take);
      }
      this.chunks.splice(0, used);
    }
    this.buffered -= n;
    return out;
  }
}

/** Prefixes `body` with its INT32 size. */
export function sizePrefixed(body: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeInt32BE(body.length, 0);
  out.set(body, 4);
  return out;
}

/** A whole request frame: size, request header (v1 or v2 as the version requires), body. Used by tests/clients. */
export function encodeRequestFrame(header: RequestHeader, body: (w: Writer) => void): Buffer {
  const w = new Writer();
  encodeRequestHeader(w, header);
  body(w);
  return sizePrefixed(w.toBuffer());
}

/**
 * A whole response frame with response header v0 (`correlation_id`), or v1 (plus an empty TAG_BUFFER) when
 * `flexibleHeader` is set. ApiVersions always uses v0, even for v3.
 */
export function encodeResponseFrame(correlationId: number, body: Uint8Array, flexibleHeader = false): Buffer {
  const headerSize = flexibleHeader ? 5 : 4;
  const out = Buffer.allocUnsafe(4 + headerSize + body.length);
  out.writeInt32BE(headerSize + body.length, 0);
  out.writeInt32BE(correlationId, 4);
  if (flexibleHeader) out.writeInt8(0, 8);
  out.set(body, 4 + headerSize);
  return out;
}
