import type { IpAddress } from '../model/address.js';

/**
 * A growable big-endian byte buffer. Writers check their ranges and throw a
 * RangeError: a value that does not fit its field is a bug in the caller,
 * and silently truncated bytes would make a test pass for the wrong reason.
 */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(Math.max(16, initialSize));
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  u8(value: number): this {
    checkRange(value, 0xff, 'u8');
    this.ensure(1);
    this.buf[this.pos++] = value;
    return this;
  }

  u16(value: number): this {
    checkRange(value, 0xffff, 'u16');
    this.ensure(2);
    this.view.setUint16(this.pos, value);
    this.pos += 2;
    return this;
  }

  u32(value: number): this {
    checkRange(value, 0xffffffff, 'u32');
    this.ensure(4);
    this.view.setUint32(this.pos, value);
    this.pos += 4;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
    return this;
  }

  /** 4 bytes for IPv4, 16 for IPv6. */
  address(a: IpAddress): this {
    this.u32(a.w0);
    if (a.family === 6) this.u32(a.w1).u32(a.w2).u32(a.w3);
    return this;
  }

  /** `count` zero bytes. */
  zeros(count: number): this {
    this.ensure(count);
    this.buf.fill(0, this.pos, this.pos + count);
    this.pos += count;
    return this;
  }

  /** Overwrites a u16 written earlier, for length fields known only after their content. */
  patchU16(at: number, value: number): void {
    checkRange(value, 0xffff, 'u16');
    if (at + 2 > this.pos) throw new RangeError(`patch at ${at} is past the written bytes`);
    this.view.setUint16(at, value);
  }

  patchU32(at: number, value: number): void {
    checkRange(value, 0xffffffff, 'u32');
    if (at + 4 > this.pos) throw new RangeError(`patch at ${at} is past the written bytes`);
    this.view.setUint32(at, value);
  }

  /** A copy of the bytes written, sized exactly. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}

function checkRange(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${value} does not fit a ${what}`);
  }
}
