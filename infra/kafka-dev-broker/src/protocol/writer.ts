import { encodeUnsignedVarint, encodeVarint, encodeVarlong } from './varint.js';

/** A growable big-endian buffer for encoding Kafka protocol messages. Methods chain. */
export class Writer {
  private buf: Buffer;
  private pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = Buffer.allocUnsafe(initialCapacity);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }

  boolean(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }

  int64(v: number | bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt(v), this.pos);
    this.pos += 8;
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  string(s: string): this {
    return this.nullableString(s);
  }

  nullableString(s: string | null): this {
    if (s === null) return this.int16(-1);
    const bytes = Buffer.from(s, 'utf8');
    return this.int16(bytes.length).raw(bytes);
  }

  bytes(b: Uint8Array): this {
    return this.nullableBytes(b);
  }

  nullableBytes(b: Uint8Array | null): this {
    if (b === null) return this.int32(-1);
    return this.int32(b.length).raw(b);
  }

  array<T>(items: readonly T[], element: (w: Writer, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) element(this, item);
    return this;
  }

  nullableArray<T>(items: readonly T[] | null, element: (w: Writer, item: T) => void): this {
    if (items === null) return this.int32(-1);
    return this.array(items, element);
  }

  unsignedVarint(v: number): this {
    return this.raw(Uint8Array.from(encodeUnsignedVarint(v)));
  }

  varint(v: number): this {
    return this.raw(Uint8Array.from(encodeVarint(v)));
  }

  varlong(v: number): this {
    return this.raw(Uint8Array.from(encodeVarlong(v)));
  }

  compactNullableString(s: string | null): this {
    if (s === null) return this.unsignedVarint(0);
    const bytes = Buffer.from(s, 'utf8');
    return this.unsignedVarint(bytes.length + 1).raw(bytes);
  }

  compactString(s: string): this {
    return this.compactNullableString(s);
  }

  compactArray<T>(items: readonly T[] | null, element: (w: Writer, item: T) => void): this {
    if (items === null) return this.unsignedVarint(0);
    this.unsignedVarint(items.length + 1);
    for (const item of items) element(this, item);
    return this;
  }

  /** An empty TAG_BUFFER (the only kind this broker writes). */
  emptyTagBuffer(): this {
    return this.int8(0);
  }

  /** The bytes written so far (a copy-free view until the next write). */
  toBuffer(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
