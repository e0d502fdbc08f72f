import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';
import { decodeProduceResponseV0, encodeProduceResponseV0, type ProduceResponseV0 } from '../v0/response.js';

/** Produce Response (Version: 1) => [responses] throttle_time_ms — v0 plus a trailing INT32. */
export interface ProduceResponseV1 extends ProduceResponseV0 {
  throttleTimeMs: number;
}

export function encodeProduceResponseV1(w: Writer, res: ProduceResponseV1): Writer {
  return encodeProduceResponseV0(w, res).int32(res.throttleTimeMs);
}

export function decodeProduceResponseV1(r: Reader): ProduceResponseV1 {
  const v0 = decodeProduceResponseV0(r);
  return { ...v0, throttleTimeMs: r.int32() };
}
