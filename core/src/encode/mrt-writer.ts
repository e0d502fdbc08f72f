import { MRT_BGP4MP_ET } from '../mrt/mrt-types.js';
import { ByteWriter } from './byte-writer.js';

export interface MrtRecordHeader {
  timeSec: number;
  type: number;
  subtype: number;
  /** Microseconds of an _ET type (BGP4MP_ET); they open the body and count in its length. */
  timeUsec?: number;
}

/** One MRT record (RFC 6396 2): the 12-byte header, the microseconds of _ET types, the body. */
export function encodeMrtRecord(header: MrtRecordHeader, body: Uint8Array): Uint8Array {
  const et = header.type === MRT_BGP4MP_ET;
  if (!et && header.timeUsec !== undefined) {
    throw new RangeError(`MRT type ${header.type} has no microseconds field`);
  }
  const usec = header.timeUsec ?? 0;
  if (usec > 999_999) throw new RangeError(`${usec} microseconds is a second or more`);
  const w = new ByteWriter(12 + 4 + body.length);
  w.u32(header.timeSec)
    .u16(header.type)
    .u16(header.subtype)
    .u32(body.length + (et ? 4 : 0));
  if (et) w.u32(usec);
  w.bytes(body);
  return w.toBytes();
}

/** Records one after the other, as an MRT file holds them. */
export function concatRecords(records: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const r of records) size += r.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  return out;
}
