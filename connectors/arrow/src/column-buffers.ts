import {
  type Data,
  type DataType,
  type Dictionary,
  makeData,
  makeVector,
  type Utf8,
  Utf8 as Utf8Type,
  type Vector,
} from 'apache-arrow';

/**
 * Growable, row-parallel column buffers that become Arrow `Data` in one step (`makeData` over typed
 * arrays, no builders). `order`, when given, is the row permutation to emit (a sort); `null` emits
 * rows as appended. Every `data()` call returns arrays the buffers no longer use.
 */
export type Order = Uint32Array | null;

type UintArray = Uint8Array | Uint32Array;

function grow<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/** Packs a byte-per-row validity array (1 = valid) into an Arrow bitmap, in `order`. */
export function packValidity(
  valid: Uint8Array,
  n: number,
  order: Order,
): { nullBitmap: Uint8Array | undefined; nullCount: number } {
  const bitmap = new Uint8Array((n + 7) >> 3);
  let count = 0;
  if (order) {
    for (let i = 0; i < n; i++) {
      const v = valid[order[i]];
      bitmap[i >> 3] |= v << (i & 7);
      count += v;
    }
  } else {
    const full = n >> 3;
    for (let j = 0; j < full; j++) {
      const b = j << 3;
      const byte =
        valid[b] |
        (valid[b + 1] << 1) |
        (valid[b + 2] << 2) |
        (valid[b + 3] << 3) |
        (valid[b + 4] << 4) |
        (valid[b + 5] << 5) |
        (valid[b + 6] << 6) |
        (valid[b + 7] << 7);
      bitmap[j] = byte;
      count += valid[b] + valid[b + 1] + valid[b + 2] + valid[b + 3];
      count += valid[b + 4] + valid[b + 5] + valid[b + 6] + valid[b + 7];
    }
    for (let i = full << 3; i < n; i++) {
      const v = valid[i];
      bitmap[i >> 3] |= v << (i & 7);
      count += v;
    }
  }
  return count === n ? { nullBitmap: undefined, nullCount: 0 } : { nullBitmap: bitmap, nullCount: n - count };
}

/** Base of the row-parallel columns: a validity byte per row when nullable. */
abstract class RowColumn {
  valid: Uint8Array | null;

  constructor(capacity: number, nullable: boolean) {
    this.valid = nullable ? new Uint8Array(capacity) : null;
  }

  growRows(capacity: number): void {
    if (this.valid) this.valid = grow(this.valid, capacity);
  }

  protected validity(n: number, order: Order) {
    return this.valid ? packValidity(this.valid, n, order) : { nullBitmap: undefined, nullCount: 0 };
  }

  abstract bytesPerRow(): number;
}

/** Unsigned integers (8 or 32 bit) with an optional validity byte. */
export class UintColumn<A extends UintArray> extends RowColumn {
  values: A;

  constructor(
    private readonly make: (n: number) => A,
    capacity: number,
    nullable: boolean,
  ) {
    super(capacity, nullable);
    this.values = make(capacity);
  }

  override growRows(capacity: number): void {
    super.growRows(capacity);
    this.values = grow(this.values, capacity);
  }

  data(type: DataType, n: number, order: Order): Data {
    const out = this.make(n);
    const v = this.values;
    if (order) for (let i = 0; i < n; i++) out[i] = v[order[i]];
    else out.set(v.subarray(0, n));
    return makeData({ type, length: n, ...this.validity(n, order), data: out } as never);
  }

  bytesPerRow(): number {
    return this.values.BYTES_PER_ELEMENT + (this.valid ? 1 : 0);
  }
}

/** Booleans, a byte per row until emitted. */
export class BoolColumn extends RowColumn {
  values: Uint8Array;

  constructor(capacity: number, nullable: boolean) {
    super(capacity, nullable);
    this.values = new Uint8Array(capacity);
  }

  override growRows(capacity: number): void {
    super.growRows(capacity);
    this.values = grow(this.values, capacity);
  }

  data(type: DataType, n: number, order: Order): Data {
    const bits = new Uint8Array((n + 7) >> 3);
    const v = this.values;
    for (let i = 0; i < n; i++) if (v[order ? order[i] : i]) bits[i >> 3] |= 1 << (i & 7);
    return makeData({ type, length: n, ...this.validity(n, order), data: bits } as never);
  }

  bytesPerRow(): number {
    return 1 + (this.valid ? 1 : 0);
  }
}

/**
 * Timestamps as int64 counts of the column's unit, held as little-endian 32-bit halves (no BigInt
 * per row): `set(row, lo, hi)` with the halves from {@link splitTime}.
 */
export class TimeColumn extends RowColumn {
  words: Uint32Array;

  constructor(capacity: number, nullable: boolean) {
    super(capacity, nullable);
    this.words = new Uint32Array(2 * capacity);
  }

  override growRows(capacity: number): void {
    super.growRows(capacity);
    this.words = grow(this.words, 2 * capacity);
  }

  set(row: number, lo: number, hi: number): void {
    this.words[2 * row] = lo;
    this.words[2 * row + 1] = hi;
  }

  data(type: DataType, n: number, order: Order): Data {
    const out = new BigInt64Array(n);
    const words = new Uint32Array(out.buffer);
    const w = this.words;
    if (order) {
      for (let i = 0; i < n; i++) {
        const r = order[i];
        words[2 * i] = w[2 * r];
        words[2 * i + 1] = w[2 * r + 1];
      }
    } else {
      words.set(w.subarray(0, 2 * n));
    }
    return makeData({ type, length: n, ...this.validity(n, order), data: out } as never);
  }

  bytesPerRow(): number {
    return 8 + (this.valid ? 1 : 0);
  }
}

/** The low and high 32-bit halves of a non-negative integer below 2^53. */
export function splitTime(t: number): [lo: number, hi: number] {
  const hi = Math.floor(t / 4294967296);
  return [t - hi * 4294967296, hi];
}

/**
 * A 16-byte address per row, held as four big-endian 32-bit words (cheap to write and to compare),
 * emitted as `FixedSizeBinary(16)` bytes.
 */
export class Address16Column extends RowColumn {
  words: Uint32Array;

  constructor(capacity: number, nullable: boolean) {
    super(capacity, nullable);
    this.words = new Uint32Array(4 * capacity);
  }

  override growRows(capacity: number): void {
    super.growRows(capacity);
    this.words = grow(this.words, 4 * capacity);
  }

  data(type: DataType, n: number, order: Order): Data {
    const out = new Uint8Array(16 * n);
    // Big-endian bytes through a (little-endian) word view: one byte swap per word.
    const o32 = new Uint32Array(out.buffer);
    const w = this.words;
    for (let i = 0, q = 0; i < n; i++) {
      const s = 4 * (order ? order[i] : i);
      for (let k = 0; k < 4; k++) {
        const x = w[s + k];
        o32[q++] = ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
      }
    }
    return makeData({ type, length: n, ...this.validity(n, order), data: out } as never);
  }

  bytesPerRow(): number {
    return 16 + (this.valid ? 1 : 0);
  }
}

/**
 * UTF-8 strings, encoded as they arrive into one growing buffer. A string identical (the same JS
 * string) to the previous row's is copied from the bytes already written instead of encoded again:
 * the elems of one message share their AS path and next-hop text.
 */
export class StringColumn extends RowColumn {
  offsets: Int32Array;
  bytes: Buffer;
  private pos = 0;
  private last: string | null = null;
  private lastStart = 0;
  private lastEnd = 0;

  constructor(capacity: number, nullable: boolean, byteCapacity = 16 * capacity) {
    super(capacity, nullable);
    this.offsets = new Int32Array(capacity + 1);
    this.bytes = Buffer.allocUnsafe(Math.max(64, byteCapacity));
  }

  override growRows(capacity: number): void {
    super.growRows(capacity);
    this.offsets = grow(this.offsets, capacity + 1);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.bytes.length) return;
    const next = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, this.pos + extra));
    this.bytes.copy(next, 0, 0, this.pos);
    this.bytes = next;
  }

  /** Sets row `row` (rows are appended in order). */
  set(row: number, s: string | null): void {
    if (s === null) {
      if (this.valid) this.valid[row] = 0;
      this.offsets[row + 1] = this.pos;
      return;
    }
    if (this.valid) this.valid[row] = 1;
    if (s === this.last) {
      const len = this.lastEnd - this.lastStart;
      this.ensure(len);
      const b = this.bytes;
      // Short copies in JS: a native call costs more than the bytes.
      if (len > 48) b.copyWithin(this.pos, this.lastStart, this.lastEnd);
      else for (let k = 0, p = this.pos, q = this.lastStart; k < len; k++) b[p + k] = b[q + k];
      this.lastStart = this.pos;
      this.pos += len;
    } else {
      const n = s.length;
      this.ensure(3 * n);
      this.lastStart = this.pos;
      this.last = s;
      const b = this.bytes;
      let p = this.pos;
      if (n <= 64) {
        // Addresses, prefixes and AS paths are ASCII: write them in JS unless a character is not.
        let k = 0;
        for (; k < n; k++) {
          const c = s.charCodeAt(k);
          if (c >= 0x80) break;
          b[p + k] = c;
        }
        if (k === n) p += n;
        else p += b.write(s, p, 'utf8');
      } else {
        p += b.write(s, p, 'utf8');
      }
      this.pos = p;
    }
    this.lastEnd = this.pos;
    this.offsets[row + 1] = this.pos;
  }

  data(type: DataType, n: number, order: Order): Data {
    const valueOffsets = new Int32Array(n + 1);
    let values: Uint8Array;
    if (!order) {
      valueOffsets.set(this.offsets.subarray(0, n + 1));
      values = new Uint8Array(this.offsets[n]);
      values.set(this.bytes.subarray(0, this.offsets[n]));
    } else {
      const off = this.offsets;
      let total = 0;
      for (let i = 0; i < n; i++) total += off[order[i] + 1] - off[order[i]];
      values = new Uint8Array(total);
      const src = this.bytes;
      let p = 0;
      for (let i = 0; i < n; i++) {
        const r = order[i];
        const s = off[r];
        const e = off[r + 1];
        if (e - s > 32) values.set(src.subarray(s, e), p);
        else for (let k = s; k < e; k++) values[p + k - s] = src[k];
        p += e - s;
        valueOffsets[i + 1] = p;
      }
    }
    return makeData({ type, length: n, ...this.validity(n, order), valueOffsets, data: values } as never);
  }

  /** Bytes of text held (for memory accounting). */
  get byteLength(): number {
    return this.pos;
  }

  bytesPerRow(): number {
    return 4 + (this.valid ? 1 : 0);
  }

  /** Forgets the previous-row shortcut (the buffer is about to be reused). */
  clear(): void {
    this.pos = 0;
    this.last = null;
    this.lastStart = 0;
    this.lastEnd = 0;
  }
}

/** Builds a Utf8 vector from JS strings. */
export function utf8Vector(values: readonly string[]): Vector<Utf8> {
  return makeVector(utf8Data(values));
}

function utf8Data(values: readonly string[]): Data<Utf8> {
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
 * Dictionary-encoded strings: an int32 index per row into values seen so far. With `stable`, the
 * dictionary only grows across batches and each batch's dictionary vector adds the new values as a
 * new chunk, which Arrow's IPC writers send as a delta (so the IPC file format works too);
 * otherwise each batch gets its own dictionary.
 */
export class DictColumn extends RowColumn {
  indices: Int32Array;
  private map = new Map<string, number>();
  private values: string[] = [];
  private chunks: Data<Utf8>[] = [];
  private committed = 0;
  private lastKey: string | undefined;
  private lastIndex = -1;

  constructor(
    capacity: number,
    nullable: boolean,
    private readonly stable: boolean,
  ) {
    super(capacity, nullable);
    this.indices = new Int32Array(capacity);
  }

  override growRows(capacity: number): void {
    super.growRows(capacity);
    this.indices = grow(this.indices, capacity);
  }

  /** The index of `key`, added when new. */
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

  set(row: number, key: string | null): void {
    if (key === null) {
      if (this.valid) this.valid[row] = 0;
      this.indices[row] = 0;
      return;
    }
    if (this.valid) this.valid[row] = 1;
    this.indices[row] = this.index(key);
  }

  data(type: Dictionary, n: number, order: Order): Data {
    const out = new Int32Array(n);
    const v = this.indices;
    if (order) for (let i = 0; i < n; i++) out[i] = v[order[i]];
    else out.set(v.subarray(0, n));
    // The first chunk, even empty, stays: IPC writers see a later batch's dictionary as a delta of it.
    if (this.committed < this.values.length || this.chunks.length === 0) {
      this.chunks.push(utf8Data(this.values.slice(this.committed)));
      this.committed = this.values.length;
    }
    const dictionary = makeVector(this.chunks);
    return makeData({ type, length: n, ...this.validity(n, order), data: out, dictionary } as never);
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

  bytesPerRow(): number {
    return 4 + (this.valid ? 1 : 0);
  }
}

/**
 * A list per row: int32 item offsets and a flat child array of `stride` numbers per item (1 for an
 * ASN, 3 for a large community, 8 bytes for an extended community). `build` turns the flat child,
 * in emitted order, into the list's child `Data`.
 */
export class ListColumn<A extends UintArray> extends RowColumn {
  offsets: Int32Array;
  child: A;
  /** Numbers used in `child`. */
  fill = 0;

  constructor(
    capacity: number,
    nullable: boolean,
    private readonly makeChild: (n: number) => A,
    readonly stride: number,
    private readonly build: (flat: A, items: number) => Data,
  ) {
    super(capacity, nullable);
    this.offsets = new Int32Array(capacity + 1);
    this.child = makeChild(Math.max(16, capacity * stride));
  }

  override growRows(capacity: number): void {
    super.growRows(capacity);
    this.offsets = grow(this.offsets, capacity + 1);
  }

  /** Room for `numbers` more child numbers. */
  reserve(numbers: number): A {
    if (this.fill + numbers > this.child.length) {
      this.child = grow(this.child, Math.max(2 * this.child.length, this.fill + numbers));
    }
    return this.child;
  }

  /** Ends row `row` after its items were written at `fill` (advanced by the caller). */
  end(row: number): void {
    if (this.valid) this.valid[row] = 1;
    this.offsets[row + 1] = this.fill / this.stride;
  }

  setNull(row: number): void {
    if (this.valid) this.valid[row] = 0;
    this.offsets[row + 1] = this.fill / this.stride;
  }

  /** Row `row` gets the same items as row `row - 1`. */
  repeat(row: number): void {
    const s = this.offsets[row - 1] * this.stride;
    const e = this.offsets[row] * this.stride;
    const child = this.reserve(e - s);
    const f = this.fill;
    if (e - s > 32) child.copyWithin(f, s, e);
    else for (let q = s; q < e; q++) child[f + q - s] = child[q];
    this.fill = f + e - s;
    if (this.valid) this.valid[row] = this.valid[row - 1];
    this.offsets[row + 1] = this.fill / this.stride;
  }

  data(type: DataType, n: number, order: Order): Data {
    const valueOffsets = new Int32Array(n + 1);
    const k = this.stride;
    let flat: A;
    if (!order) {
      valueOffsets.set(this.offsets.subarray(0, n + 1));
      flat = this.child.slice(0, this.offsets[n] * k) as A;
    } else {
      const off = this.offsets;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const r = order[i];
        total += off[r + 1] - off[r];
        valueOffsets[i + 1] = total;
      }
      flat = this.makeChild(total * k);
      const src = this.child;
      let p = 0;
      for (let i = 0; i < n; i++) {
        const r = order[i];
        const e = off[r + 1] * k;
        for (let q = off[r] * k; q < e; q++) flat[p++] = src[q];
      }
    }
    const items = valueOffsets[n];
    return makeData({
      type,
      length: n,
      ...this.validity(n, order),
      valueOffsets,
      child: this.build(flat, items),
    } as never);
  }

  get byteLength(): number {
    return this.fill * this.child.BYTES_PER_ELEMENT;
  }

  bytesPerRow(): number {
    return 4 + (this.valid ? 1 : 0);
  }

  clear(): void {
    this.fill = 0;
  }
}
