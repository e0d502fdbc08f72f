import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';
import {
  type ApiVersionsResponseV0,
  decodeApiVersionsResponseV0,
  encodeApiVersionsResponseV0,
} from '../v0/response.js';

/**
 * ApiVersions Response (Version: 1) => error_code [api_keys] throttle_time_ms
 *   the v0 fields, then throttle_time_ms => INT32
 */
export interface ApiVersionsResponseV1 extends ApiVersionsResponseV0 {
  throttleTimeMs: number;
}

export function encodeApiVersionsResponseV1(w: Writer, res: ApiVersionsResponseV1): Writer {
  return encodeApiVersionsResponseV0(w, res).int32(res.throttleTimeMs);
}

export function decodeApiVersionsResponseV1(r: Reader): ApiVersionsResponseV1 {
  const v0 = decodeApiVersionsResponseV0(r);
  return { ...v0, throttleTimeMs: r.int32() };
}
