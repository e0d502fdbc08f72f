import { describe, expect, it } from 'vitest';
import { crc32c } from '../../src/protocol/crc32c.js';
import { ProtocolError } from '../../src/protocol/errors.js';
import { FrameDecoder, sizePrefixed } from '../../src/protocol/frame.js';
import { Reader } from '../../src/protocol/reader.js';
import {
  encodeVarint,
  encodeVarlong,
  readUnsignedVarint,
  readVarint,
  readVarlong,
} from '../../src/protocol/varint.js';
import { Writer } from '../../src/protocol/writer.js';
import { hex } from '../helpers/raw-client.js';

describe('crc32c', () => {
  it('has the CRC-32C check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('is 0 for no bytes and matches the RFC 3720 test vectors', () => {
    expect(crc32c(Buffer.alloc(0))).toBe(0);
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
  });

  it('gives the same result for a range, in pieces, and at every alignment', () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7 + 3) & 0xff));
    const whole = crc32c(data);
    expect(crc32c(data, 0, 333, 0) === whole).toBe(false);
    expect(crc32c(data, 333, 1000, crc32c(data, 0, 333))).toBe(whole);
    for (let start = 0; start < 9; start++) {
      const bytewise = (() => {
        let c = 0;
        for (let i = start; i < data.length; i++) c = crc32c(data, i, i + 1, c);
        return c;
      })();
      expect(crc32c(data, start)).toBe(bytewise);
    }
  });
});

describe('varint / varlong (zig-zag)', () => {
  it('matches the spec examples', () => {
    const cases: [number, string][] = [
      [0, '00'],
      [-1, '01'],
      [1, '02'],
      [5, '0a'],
      [16, '20'],
      [64, '8001'],
    ];
    for (const [n, h] of cases) {
      expect(Buffer.from(encodeVarint(n)).toString('hex')).toBe(h);
      expect(readVarint(hex(h), 0)).toEqual({ value: n, size: h.length / 2 });
    }
  });

  it('round-trips the 32-bit extremes in at most 5 bytes', () => {
    for (const n of [0x7fffffff, -0x80000000, 300, -300, 63, -64, -65]) {
      const bytes = Buffer.from(encodeVarint(n));
      expect(bytes.length).toBeLessThanOrEqual(5);
      expect(readVarint(bytes, 0).value).toBe(n);
    }
    expect(() => encodeVarint(0x80000000)).toThrow(RangeError);
  });

  it('round-trips varlongs such as millisecond timestamps', () => {
    for (const n of [1700000000000, -1700000000000, 2 ** 51, -(2 ** 51), 0]) {
      expect(readVarlong(Buffer.from(encodeVarlong(n)), 0).value).toBe(n);
    }
  });

  it('rejects truncated and overlong varints', () => {
    expect(() => readUnsignedVarint(hex('80'), 0)).toThrow(ProtocolError);
    expect(() => readUnsignedVarint(hex('8080808080 01'), 0)).toThrow(ProtocolError);
  });
});

describe('Reader / Writer', () => {
  it('round-trip every primitive type', () => {
    const w = new Writer(4);
    w.int8(-2)
      .boolean(true)
      .int16(-3)
      .int32(-4)
      .uint32(0xfffffffe)
      .int64(-5)
      .string('héllo')
      .nullableString(null)
      .bytes(Buffer.from([1, 2]))
      .nullableBytes(null)
      .array([7, 8], (ww, n) => ww.int32(n))
      .nullableArray(null, (ww, n: number) => ww.int32(n))
      .unsignedVarint(300)
      .varint(-300)
      .varlong(-1700000000000)
      .compactString('ab')
      .compactNullableString(null)
      .compactArray([1], (ww, n) => ww.int8(n))
      .emptyTagBuffer();
    const r = new Reader(w.toBuffer());
    expect(r.int8()).toBe(-2);
    expect(r.boolean()).toBe(true);
    expect(r.int16()).toBe(-3);
    expect(r.int32()).toBe(-4);
    expect(r.uint32()).toBe(0xfffffffe);
    expect(r.int64()).toBe(-5);
    expect(r.string()).toBe('héllo');
    expect(r.nullableString()).toBeNull();
    expect([...r.bytes()]).toEqual([1, 2]);
    expect(r.nullableBytes()).toBeNull();
    expect(r.array((rr) => rr.int32())).toEqual([7, 8]);
    expect(r.nullableArray((rr) => rr.int32())).toBeNull();
    expect(r.unsignedVarint()).toBe(300);
    expect(r.varint()).toBe(-300);
    expect(r.varlong()).toBe(-1700000000000);
    expect(r.compactString()).toBe('ab');
    expect(r.compactNullableString()).toBeNull();
    expect(r.compactNullableArray((rr) => rr.int8())).toEqual([1]);
    expect(r.tagBuffer().size).toBe(0);
    expect(r.remaining()).toBe(0);
  });

  it('reads a null array as empty, like kafkajs', () => {
    expect(new Reader(hex('ffffffff')).array((r) => r.int32())).toEqual([]);
  });

  it('skips unknown tagged fields', () => {
    // 2 tags: tag 0 with 2 bytes, tag 5 with 1 byte; then an INT8.
    const r = new Reader(hex('02 00 02 abcd 05 01 ee 7f'));
    const tags = r.tagBuffer();
    expect([...tags.keys()]).toEqual([0, 5]);
    expect(r.int8()).toBe(0x7f);
  });

  it('throws ProtocolError on truncation and impossible lengths instead of reading past the end', () => {
    expect(() => new Reader(hex('0005 6162')).string()).toThrow(ProtocolError);
    expect(() => new Reader(hex('fffe')).nullableString()).toThrow(ProtocolError);
    expect(() => new Reader(hex('7fffffff')).array((r) => r.int8())).toThrow(ProtocolError);
    expect(() => new Reader(hex('000000'), 0, 3).int32()).toThrow(ProtocolError);
    // A reader bounded inside a bigger buffer does not see past its end.
    expect(() => new Reader(hex('00000001 00'), 0, 4).int64()).toThrow(ProtocolError);
  });
});

describe('FrameDecoder', () => {
  const frames = [Buffer.from('first'), Buffer.alloc(0), Buffer.alloc(70_000, 7), Buffer.from('last')];
  const stream = Buffer.concat(frames.map(sizePrefixed));

  it('reassembles frames split at every possible byte boundary', () => {
    for (const cut of [1, 2, 3, 4, 5, 9, 1000, 69_999, 70_010]) {
      const d = new FrameDecoder();
      const out: Buffer[] = [];
      for (let i = 0; i < stream.length; i += cut) out.push(...d.push(stream.subarray(i, i + cut)));
      expect(out.map((b) => b.toString('hex'))).toEqual(frames.map((b) => b.toString('hex')));
      expect(d.pendingBytes).toBe(0);
    }
  });

  it('returns several frames from one chunk', () => {
    expect(new FrameDecoder().push(stream)).toHaveLength(4);
  });

  it('rejects negative and oversized frame sizes', () => {
    expect(() => new FrameDecoder().push(hex('ffffffff'))).toThrow(ProtocolError);
    expect(() => new FrameDecoder(100).push(hex('00000065'))).toThrow(/outside 0..100/);
    expect(new FrameDecoder(100).push(hex('00000064'))).toEqual([]);
  });
});
