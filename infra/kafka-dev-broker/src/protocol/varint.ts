/**
 * Variable-length integers used inside records and by flexible (compact) protocol versions.
 *
 * - UNSIGNED_VARINT: unsigned LEB128.
 * - VARINT / VARLONG: zig-zag, then unsigned LEB128 (at most 5 / 10 bytes).
 *
 * VARLONGs are handled as JS numbers: exact for magnitudes below 2^52 (the zig-zag form must stay below
 * 2^53), which covers every timestamp delta a record carries in practice.
 */

import { ProtocolError } from './errors.js';

export interface Decoded {
  value: number;
  /** Bytes consumed. */
  size: number;
}

/** Decodes an unsigned LEB128 value of at most `maxBytes` bytes at `offset`. */
export function readUnsignedVarint(buf: Uint8Array, offset: number, maxBytes = 5): Decoded {
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < maxBytes; i++) {
    const pos = offset + i;
    if (pos >= buf.length) throw new ProtocolError('truncated varint');
    const b = buf[pos];
    value += (b & 0x7f) * multiplier;
    if ((b & 0x80) === 0) {
      if (maxBytes === 5 && value > 0xffffffff) throw new ProtocolError('varint does not fit in 32 bits');
      return { value, size: i + 1 };
    }
    multiplier *= 128;
  }
  throw new ProtocolError(`varint longer than ${maxBytes} bytes`);
}

export function zigZagDecode(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

export function zigZagEncode(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

/** Decodes a zig-zag VARINT (32-bit). */
export function readVarint(buf: Uint8Array, offset: number): Decoded {
  const d = readUnsignedVarint(buf, offset, 5);
  return { value: zigZagDecode(d.value), size: d.size };
}

/** Decodes a zig-zag VARLONG (64-bit, exact for magnitudes below 2^52). */
export function readVarlong(buf: Uint8Array, offset: number): Decoded {
  const d = readUnsignedVarint(buf, offset, 10);
  return { value: zigZagDecode(d.value), size: d.size };
}

/** Encodes an unsigned LEB128 value. */
export function encodeUnsignedVarint(value: number): number[] {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not an unsigned varint: ${value}`);
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

export function encodeVarint(value: number): number[] {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new RangeError(`not a 32-bit varint: ${value}`);
  }
  return encodeUnsignedVarint(zigZagEncode(value));
}

export function encodeVarlong(value: number): number[] {
  if (!Number.isSafeInteger(value)) throw new RangeError(`varlong outside the exact range: ${value}`);
  return encodeUnsignedVarint(zigZagEncode(value));
}

export function varintSize(value: number): number {
  return encodeVarint(value).length;
}
