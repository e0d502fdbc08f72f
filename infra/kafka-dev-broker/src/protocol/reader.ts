import { ProtocolError } from './errors.js';
import { readUnsignedVarint, readVarint, readVarlong } from './varint.js';

/**
 * A cursor over a big-endian Kafka protocol buffer. Every read checks bounds and throws a ProtocolError on
 * truncated input, so a malformed request never reads past its frame.
 */
export class Reader {
  offset: number;
  readonly end: number;

  constructor(
    readonly buf: Buffer,
    offset = 0,
    end = buf.length,
  ) {
    this.offset = offset;
    this.end = end;
  }

  remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number): number {
    if (n < 0 || this.offset + n > this.end) {
      throw new ProtocolError(`truncated: need ${n} bytes at ${this.offset}, have ${this.end - this.offset}`);
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }

  boolean(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }

  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }

  uint32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }

  /** INT64 as a number (exact for |n| ≤ 2^53, which holds for offsets, timestamps and producer ids here). */
  int64(): number {
    return Number(this.buf.readBigInt64BE(this.need(8)));
  }

  int64Big(): bigint {
    return this.buf.readBigInt64BE(this.need(8));
  }

  /** `n` raw bytes (a view, not a copy). */
  raw(n: number): Buffer {
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }

  string(): string {
    const s = this.nullableString();
    if (s === null) throw new ProtocolError('null STRING');
    return s;
  }

  nullableString(): string | null {
    const len = this.int16();
    if (len === -1) return null;
    if (len < 0) throw new ProtocolError(`bad string length ${len}`);
    return this.raw(len).toString('utf8');
  }

  bytes(): Buffer {
    const b = this.nullableBytes();
    if (b === null) throw new ProtocolError('null BYTES');
    return b;
  }

  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len === -1) return null;
    if (len < 0) throw new ProtocolError(`bad bytes length ${len}`);
    return this.raw(len);
  }

  /** ARRAY; a null array (-1) reads as empty, like kafkajs does. */
  array<T>(element: (r: Reader) => T): T[] {
    return this.nullableArray(element) ?? [];
  }

  nullableArray<T>(element: (r: Reader) => T): T[] | null {
    const count = this.int32();
    if (count === -1) return null;
    if (count < 0) throw new ProtocolError(`bad array length ${count}`);
    // Every element takes at least one byte: refuse counts that cannot fit in what is left.
    if (count > this.remaining()) throw new ProtocolError(`array count ${count} exceeds the frame`);
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(element(this));
    return out;
  }

  unsignedVarint(): number {
    const d = readUnsignedVarint(this.buf.subarray(0, this.end), this.offset);
    this.offset += d.size;
    return d.value;
  }

  varint(): number {
    const d = readVarint(this.buf.subarray(0, this.end), this.offset);
    this.offset += d.size;
    return d.value;
  }

  varlong(): number {
    const d = readVarlong(this.buf.subarray(0, this.end), this.offset);
    this.offset += d.size;
    return d.value;
  }

  compactNullableString(): string | null {
    const n = this.unsignedVarint();
    if (n === 0) return null;
    return this.raw(n - 1).toString('utf8');
  }

  compactString(): string {
    const s = this.compactNullableString();
    if (s === null) throw new ProtocolError('null COMPACT_STRING');
    return s;
  }

  compactNullableBytes(): Buffer | null {
    const n = this.unsignedVarint();
    if (n === 0) return null;
    return this.raw(n - 1);
  }

  compactNullableArray<T>(element: (r: Reader) => T): T[] | null {
    const n = this.unsignedVarint();
    if (n === 0) return null;
    if (n - 1 > this.remaining()) throw new ProtocolError(`compact array count ${n - 1} exceeds the frame`);
    const out: T[] = [];
    for (let i = 0; i < n - 1; i++) out.push(element(this));
    return out;
  }

  /** Reads a TAG_BUFFER and returns the tagged fields (unknown tags are simply skipped by callers). */
  tagBuffer(): Map<number, Buffer> {
    const tags = new Map<number, Buffer>();
    const count = this.unsignedVarint();
    for (let i = 0; i < count; i++) {
      const tag = this.unsignedVarint();
      const size = this.unsignedVarint();
      tags.set(tag, this.raw(size));
    }
    return tags;
  }
}
