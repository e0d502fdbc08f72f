import type { IpAddress } from '@bgpstream-ts/core';
import {
  type Data,
  type DataType,
  makeData,
  makeVector,
  type Utf8,
  Utf8 as Utf8Type,
  type Vector,
} from 'apache-arrow';

/**
 * Building blocks of {@link ElemBatchBuilder}: growable typed arrays, tables of values stored once
 * per distinct record / message / address (rows hold an index), and the gathers that turn them into
 * Arrow `Data` (`makeData` over fresh typed arrays, no builders). Every output array is newly
 * allocated and zero-filled, and only written bytes are copied into it, so the same rows always give
 * the same bytes (nothing left over from an earlier batch shows under a null slot).
 */
export type Order = Uint32Array | null;

type Growable = Uint8Array | Uint16Array | Uint32Array | Int32Array;

/** A copy of `a` with room for `size` elements (never smaller than `a`). */
export function grow<T extends Growable>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(Math.max(size, a.length));
  b.set(a);
  return b;
}

/** The low and high 32-bit halves of a non-negative integer below 2^53. */
export function splitTime(t: number): [lo: number, hi: number] {
  const hi = Math.floor(t / 4294967296);
  return [t - hi * 4294967296, hi];
}

/** `{ nullBitmap, nullCount }` for makeData: no bitmap when every row is valid. */
export function validity(bitmap: Uint8Array, nulls: number) {
  return nulls === 0 ? { nullBitmap: undefined, nullCount: 0 } : { nullBitmap: bitmap, nullCount: nulls };
}

/** Where emitted arrays come from: new arrays, or an {@link Arena}. All come zero-filled. */
export interface Alloc {
  u8(n: number): Uint8Array;
  u16(n: number): Uint16Array;
  u32(n: number): Uint32Array;
  i32(n: number): Int32Array;
  i64(n: number): BigInt64Array;
}

export const freshArrays: Alloc = {
  u8: (n) => new Uint8Array(n),
  u16: (n) => new Uint16Array(n),
  u32: (n) => new Uint32Array(n),
  i32: (n) => new Int32Array(n),
  i64: (n) => new BigInt64Array(n),
};

/**
 * Arrays carved (8-byte aligned, zero-filled) from one reused buffer: after `reset()` the same bytes
 * are handed out again. A batch that needs more than the buffer holds gets overflow buffers (the
 * arrays keep them alive as long as needed), and the next `reset()` replaces the buffer by one that
 * fits what the batch took.
 */
export class Arena implements Alloc {
  private buffer = new ArrayBuffer(0);
  private pos = 0;
  /** Bytes handed out since the last reset. */
  private taken = 0;

  private take(bytes: number): number {
    const size = (bytes + 7) & ~7;
    this.taken += size;
    if (this.pos + size > this.buffer.byteLength) {
      this.buffer = new ArrayBuffer(Math.max(size, this.buffer.byteLength >> 1, 1 << 20));
      this.pos = 0;
    }
    const at = this.pos;
    this.pos += size;
    return at;
  }

  u8(n: number): Uint8Array {
    const at = this.take(n);
    return new Uint8Array(this.buffer, at, n).fill(0);
  }

  u16(n: number): Uint16Array {
    const at = this.take(2 * n);
    return new Uint16Array(this.buffer, at, n).fill(0);
  }

  u32(n: number): Uint32Array {
    const at = this.take(4 * n);
    return new Uint32Array(this.buffer, at, n).fill(0);
  }

  i32(n: number): Int32Array {
    const at = this.take(4 * n);
    return new Int32Array(this.buffer, at, n).fill(0);
  }

  i64(n: number): BigInt64Array {
    const at = this.take(8 * n);
    return new BigInt64Array(this.buffer, at, n).fill(0n);
  }

  get byteLength(): number {
    return this.buffer.byteLength;
  }

  reset(): void {
    if (this.taken > this.buffer.byteLength) this.buffer = new ArrayBuffer(this.taken + (this.taken >> 4));
    this.pos = 0;
    this.taken = 0;
  }
}

/**
 * Memory for emitted batches that is used again instead of allocated anew, for callers that are done
 * with a batch soon (serialize it, then drop it): each `ElemBatchBuilder.emit()`/`finish()` with
 * this memory takes one arena, and `recycle()` makes every arena available again, so the batches
 * emitted before it must not be used after it. Can be shared by several builders (one emits at a
 * time, or each between recycles). Saves allocating, zero-filling by the OS and collecting tens of
 * megabytes per batch.
 */
export class BatchMemory {
  private readonly arenas: Arena[] = [];
  private used = 0;

  /** The arena for the next batch. */
  next(): Arena {
    let a = this.arenas[this.used];
    if (a === undefined) {
      a = new Arena();
      this.arenas.push(a);
    }
    this.used++;
    a.reset();
    return a;
  }

  /** Every batch emitted with this memory so far is done with: their bytes will be reused. */
  recycle(): void {
    this.used = 0;
  }

  /** Bytes held. */
  get byteLength(): number {
    let n = 0;
    for (const a of this.arenas) n += a.byteLength;
    return n;
  }
}

// "0".."255" as ASCII: [length, d0, d1, d2] per number (octets and prefix lengths).
const SMALL = new Uint8Array(256 * 4);
for (let i = 0; i < 256; i++) {
  const s = String(i);
  SMALL[4 * i] = s.length;
  for (let k = 0; k < s.length; k++) SMALL[4 * i + 1 + k] = s.charCodeAt(k);
}

/** Writes `x` (0..255) in decimal at `p`; returns the position after it. */
function writeSmall(b: Uint8Array, p: number, x: number): number {
  const t = x << 2;
  const len = SMALL[t];
  b[p] = SMALL[t + 1];
  if (len > 1) b[p + 1] = SMALL[t + 2];
  if (len > 2) b[p + 2] = SMALL[t + 3];
  return p + len;
}

/** `a.b.c.d` of an IPv4 word at `p` (at most 15 bytes); returns the position after it. */
export function writeV4Text(b: Uint8Array, p: number, w: number): number {
  p = writeSmall(b, p, w >>> 24);
  b[p++] = 46;
  p = writeSmall(b, p, (w >>> 16) & 255);
  b[p++] = 46;
  p = writeSmall(b, p, (w >>> 8) & 255);
  b[p++] = 46;
  return writeSmall(b, p, w & 255);
}

/** `/len` at `p` (len 0..255); returns the position after it. */
export function writeSlashLength(b: Uint8Array, p: number, len: number): number {
  b[p] = 47;
  return writeSmall(b, p + 1, len);
}

/** Writes `s` as UTF-8 at `p` (room for 3 bytes per UTF-16 unit is the caller's); returns the end. */
export function writeUtf8(b: Buffer, p: number, s: string): number {
  const n = s.length;
  if (n <= 64) {
    // Addresses, prefixes and AS paths are ASCII: write them in JS unless a character is not.
    let k = 0;
    for (; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c >= 0x80) break;
      b[p + k] = c;
    }
    if (k === n) return p + n;
  }
  return p + b.write(s, p, 'utf8');
}

/** Decimal digits of an integer 0..2^32-1. */
function digits(n: number): number {
  if (n < 100000) return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : 5;
  return n < 1000000 ? 6 : n < 10000000 ? 7 : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
}

/** Writes an integer 0..2^32-1 in decimal at `p`; returns the position after it. */
function writeUint(b: Uint8Array, p: number, n: number): number {
  const end = p + digits(n);
  let q = end;
  while (n >= 10) {
    const d = n % 10;
    b[--q] = 48 + d;
    n = (n - d) / 10;
  }
  b[--q] = 48 + n;
  return end;
}

// Segment brackets by type (AS_SET 1, AS_SEQUENCE 2, AS_CONFED_SEQUENCE 3, AS_CONFED_SET 4, other),
// and the separator between ASNs: BGPStream's text, as the model's `AsPath.toString()` writes it.
const OPEN = [60, 123, 0, 40, 91];
const CLOSE = [62, 125, 0, 41, 93];
const SEPARATOR = [32, 44, 32, 32, 44];

/** Most bytes {@link writeAsPathText} may write for these segments. */
export function asPathTextBound(segments: readonly { readonly asns: readonly number[] }[]): number {
  let n = 0;
  for (let s = 0; s < segments.length; s++) n += 11 * segments[s].asns.length + 3;
  return n;
}

/**
 * The AS path's text written straight from its numbers at `p` (no strings made): the same bytes as
 * `AsPath.toString()`. Returns the end, or -1 when a value is not an integer 0..2^32-1 (then the
 * caller uses `toString()`).
 */
export function writeAsPathText(
  b: Uint8Array,
  p: number,
  segments: readonly { readonly type: number; readonly asns: readonly number[] }[],
): number {
  const start = p;
  for (let s = 0; s < segments.length; s++) {
    const seg = segments[s];
    const t = seg.type >= 1 && seg.type <= 4 ? seg.type : 0;
    const asns = seg.asns;
    if (p > start) b[p++] = 32;
    if (t !== 2) b[p++] = OPEN[t];
    for (let k = 0; k < asns.length; k++) {
      const x = asns[k];
      if (!(x >= 0 && x <= 4294967295 && Math.floor(x) === x)) return -1;
      if (k > 0) b[p++] = SEPARATOR[t];
      p = writeUint(b, p, x);
    }
    if (t !== 2) b[p++] = CLOSE[t];
  }
  return p;
}

/**
 * Strings stored once each (`add` returns the entry's index): rows hold the index, `gather` emits a
 * Utf8 column of the entries the rows name (-1: null). Text is encoded to UTF-8 once per entry, not
 * per row.
 */
export class TextTable {
  bytes: Buffer;
  /** Byte offsets: entry `k` is `bytes[offsets[k], offsets[k + 1])`. */
  offsets: Int32Array;
  count = 0;

  constructor(entries = 64, bytes = 1024) {
    this.offsets = new Int32Array(entries + 1);
    this.bytes = Buffer.allocUnsafe(bytes);
  }

  /** Room for one more entry of up to `extra` bytes; returns the write position. */
  begin(extra: number): number {
    if (this.count + 2 > this.offsets.length) this.offsets = grow(this.offsets, 2 * this.offsets.length);
    const pos = this.offsets[this.count];
    if (pos + extra > this.bytes.length) {
      const next = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, pos + extra));
      this.bytes.copy(next, 0, 0, pos);
      this.bytes = next;
    }
    return pos;
  }

  /** Ends the entry begun with `begin` at byte `end`; returns its index. */
  commit(end: number): number {
    this.offsets[++this.count] = end;
    return this.count - 1;
  }

  add(s: string): number {
    const p = this.begin(3 * s.length); // may replace `bytes`
    return this.commit(writeUtf8(this.bytes, p, s));
  }

  get byteLength(): number {
    return this.bytes.byteLength + this.offsets.byteLength;
  }

  clear(): void {
    this.count = 0;
  }

  /** Utf8 data of `n` rows, row `i` being entry `idx[i]` (negative: null). */
  gather(type: DataType, idx: Int32Array, n: number, alloc: Alloc): Data {
    const valueOffsets = alloc.i32(n + 1);
    const bitmap = alloc.u8((n + 7) >> 3);
    const eo = this.offsets;
    let total = 0;
    let nulls = 0;
    let bits = 0;
    for (let i = 0; i < n; i++) {
      const k = idx[i];
      if (k < 0) nulls++;
      else {
        total += eo[k + 1] - eo[k];
        bits |= 1 << (i & 7);
      }
      valueOffsets[i + 1] = total;
      if ((i & 7) === 7) {
        bitmap[i >> 3] = bits;
        bits = 0;
      }
    }
    if (n & 7) bitmap[n >> 3] = bits;
    const data = alloc.u8(total);
    const src = this.bytes;
    for (let i = 0; i < n; i++) {
      const k = idx[i];
      if (k < 0) continue;
      let s = eo[k];
      const e = eo[k + 1];
      let p = valueOffsets[i];
      if (e - s > 48) data.set(src.subarray(s, e), p);
      else while (s < e) data[p++] = src[s++];
    }
    return makeData({ type, length: n, ...validity(bitmap, nulls), valueOffsets, data } as never);
  }
}

/**
 * A {@link TextTable} of IP addresses: each distinct address is rendered and encoded once. The same
 * object as last time costs one comparison; another object with the same address (the decoder makes
 * one per message) one map lookup, keyed by the IPv4 word itself (no text), or by the text for IPv6.
 */
export class AddressTable extends TextTable {
  private last: IpAddress | null = null;
  private lastIndex = -1;
  private readonly v4 = new Map<number, number>();
  private readonly v6 = new Map<string, number>();

  indexOf(a: IpAddress): number {
    if (a === this.last) return this.lastIndex;
    let k: number | undefined;
    if (a.family === 4) {
      k = this.v4.get(a.w0);
      if (k === undefined) {
        const p = this.begin(15); // may replace `bytes`
        k = this.commit(writeV4Text(this.bytes, p, a.w0));
        this.v4.set(a.w0, k);
      }
    } else {
      const s = a.toString();
      k = this.v6.get(s);
      if (k === undefined) {
        k = this.add(s);
        this.v6.set(s, k);
      }
    }
    this.last = a;
    this.lastIndex = k;
    return k;
  }

  override clear(): void {
    super.clear();
    this.v4.clear();
    this.v6.clear();
    this.last = null;
    this.lastIndex = -1;
  }
}

/**
 * Lists stored once per entry (a message's AS path, communities...): `offsets` in items, `child`
 * holding `stride` numbers per item. `gather` emits the list column of the entries rows name.
 */
export class ListTable<A extends Uint8Array | Uint32Array> {
  offsets: Int32Array;
  child: A;
  /** Numbers used in `child`. */
  fill = 0;
  count = 0;

  constructor(
    private readonly makeChild: (n: number, alloc: Alloc) => A,
    readonly stride: number,
    entries = 64,
  ) {
    this.offsets = new Int32Array(entries + 1);
    this.child = makeChild(64 * stride, freshArrays);
  }

  /** Room for `numbers` more child numbers at `fill`. */
  reserve(numbers: number): A {
    if (this.fill + numbers > this.child.length) {
      this.child = grow(this.child, Math.max(2 * this.child.length, this.fill + numbers));
    }
    return this.child;
  }

  /** Ends the entry whose numbers were written up to `fill` (advanced by the caller); returns its index. */
  commit(): number {
    if (this.count + 2 > this.offsets.length) this.offsets = grow(this.offsets, 2 * this.offsets.length);
    this.offsets[++this.count] = this.fill / this.stride;
    return this.count - 1;
  }

  /** An entry copied from `values` (whole items only). */
  addNumbers(values: readonly number[]): number {
    const len = values.length - (values.length % this.stride);
    const out = this.reserve(len);
    let f = this.fill;
    for (let k = 0; k < len; k++) out[f++] = values[k];
    this.fill = f;
    return this.commit();
  }

  get byteLength(): number {
    return this.child.byteLength + this.offsets.byteLength;
  }

  clear(): void {
    this.fill = 0;
    this.count = 0;
  }

  /**
   * The list data of `n` rows, row `i` being entry `idx[i]` (negative: null); `build` turns the
   * flat child numbers, in row order, into the child `Data`.
   */
  gather(
    type: DataType,
    idx: Int32Array,
    n: number,
    alloc: Alloc,
    build: (flat: A, items: number, alloc: Alloc) => Data,
  ): Data {
    const valueOffsets = alloc.i32(n + 1);
    const bitmap = alloc.u8((n + 7) >> 3);
    const eo = this.offsets;
    let total = 0;
    let nulls = 0;
    let bits = 0;
    for (let i = 0; i < n; i++) {
      const k = idx[i];
      if (k < 0) nulls++;
      else {
        total += eo[k + 1] - eo[k];
        bits |= 1 << (i & 7);
      }
      valueOffsets[i + 1] = total;
      if ((i & 7) === 7) {
        bitmap[i >> 3] = bits;
        bits = 0;
      }
    }
    if (n & 7) bitmap[n >> 3] = bits;
    const m = this.stride;
    const flat = this.makeChild(total * m, alloc);
    const src = this.child;
    for (let i = 0; i < n; i++) {
      const k = idx[i];
      if (k < 0) continue;
      let p = valueOffsets[i] * m;
      const e = eo[k + 1] * m;
      for (let q = eo[k] * m; q < e; q++) flat[p++] = src[q];
    }
    return makeData({
      type,
      length: n,
      ...validity(bitmap, nulls),
      valueOffsets,
      child: build(flat, total, alloc),
    } as never);
  }
}

/** Builds a Utf8 vector's data from JS strings. */
export function utf8Data(values: readonly string[]): Data<Utf8> {
  const offsets = new Int32Array(values.length + 1);
  const parts = values.map((v) => Buffer.from(v, 'utf8'));
  let total = 0;
  for (let i = 0; i < parts.length; i++) {
    total += parts[i].length;
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < parts.length; i++) bytes.set(parts[i], offsets[i]);
  return makeData({ type: new Utf8Type(), length: values.length, valueOffsets: offsets, data: bytes });
}

/**
 * The values of a dictionary-encoded column: `index(key)` gives a string's int32 index, added when
 * new. With `stable`, the dictionary only grows across batches and each batch's dictionary vector
 * adds the new values as a new chunk, which Arrow's IPC writers send as a delta (so the IPC file
 * format works too); otherwise `clear()` starts each batch with a dictionary of its own.
 */
export class DictValues {
  private map = new Map<string, number>();
  private values: string[] = [];
  private chunks: Data<Utf8>[] = [];
  private committed = 0;
  private lastKey: string | undefined;
  private lastIndex = -1;

  constructor(private readonly stable: boolean) {}

  index(key: string): number {
    if (key === this.lastKey) return this.lastIndex;
    let i = this.map.get(key);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(key);
      this.map.set(key, i);
    }
    this.lastKey = key;
    this.lastIndex = i;
    return i;
  }

  /** The dictionary vector of a batch: every value so far. */
  vector(): Vector<Utf8> {
    // The first chunk, even empty, stays: IPC writers see a later batch's dictionary as a delta of it.
    if (this.committed < this.values.length || this.chunks.length === 0) {
      this.chunks.push(utf8Data(this.values.slice(this.committed)));
      this.committed = this.values.length;
    }
    return makeVector(this.chunks);
  }

  /** Dictionary data of `n` rows, row `i` holding index `idx[i]` (negative: null). */
  data(type: DataType, idx: Int32Array, n: number, alloc: Alloc): Data {
    const bitmap = alloc.u8((n + 7) >> 3);
    let nulls = 0;
    const out = alloc.i32(n);
    let bits = 0;
    for (let i = 0; i < n; i++) {
      const k = idx[i];
      if (k < 0) nulls++;
      else {
        out[i] = k;
        bits |= 1 << (i & 7);
      }
      if ((i & 7) === 7) {
        bitmap[i >> 3] = bits;
        bits = 0;
      }
    }
    if (n & 7) bitmap[n >> 3] = bits;
    return makeData({
      type,
      length: n,
      ...validity(bitmap, nulls),
      data: out,
      dictionary: this.vector(),
    } as never);
  }

  /** Drops the dictionary unless it is stable. */
  clear(): void {
    if (this.stable) return;
    this.map.clear();
    this.values = [];
    this.chunks = [];
    this.committed = 0;
    this.lastKey = undefined;
    this.lastIndex = -1;
  }
}

/**
 * A stable LSD radix sort of `0..n-1` by several unsigned key words (`keys[k][i]` is word k of item
 * i, `bits[k]` its width), most significant first: the permutation that sorts the items. 8-bit
 * digits for fewer than 2^16 items, 16-bit beyond; a digit that is the same for every item costs one
 * counting pass and no move.
 */
export function radixSort(n: number, keys: readonly Uint32Array[], bits: readonly number[]): Uint32Array {
  let src: Uint32Array = new Uint32Array(n);
  for (let i = 0; i < n; i++) src[i] = i;
  if (n < 2) return src;
  let dst: Uint32Array = new Uint32Array(n);
  const width = n < 65536 ? 8 : 16;
  const mask = (1 << width) - 1;
  const count = new Int32Array(1 << width);
  for (let k = keys.length - 1; k >= 0; k--) {
    const key = keys[k];
    for (let shift = 0; shift < bits[k]; shift += width) {
      count.fill(0);
      for (let i = 0; i < n; i++) count[(key[i] >>> shift) & mask]++;
      if (count[(key[0] >>> shift) & mask] === n) continue;
      let sum = 0;
      for (let d = 0; d <= mask; d++) {
        const c = count[d];
        count[d] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const r = src[i];
        dst[count[(key[r] >>> shift) & mask]++] = r;
      }
      const t = src;
      src = dst;
      dst = t;
    }
  }
  return src;
}
