import type { ApiVersionRange } from '../../api-keys.js';
import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * ApiVersions Response (Version: 0) => error_code [api_keys]
 *   error_code => INT16
 *   api_keys => api_key min_version max_version (INT16 each)
 *
 * This layout (with error 35) is also the answer to any ApiVersions version above the advertised max,
 * including librdkafka's first v3 request (spec §4.1 option A).
 */
export interface ApiVersionsResponseV0 {
  errorCode: number;
  apiKeys: ApiVersionRange[];
}

export function encodeApiVersionRange(w: Writer, r: ApiVersionRange): void {
  w.int16(r.apiKey).int16(r.minVersion).int16(r.maxVersion);
}

export function decodeApiVersionRange(r: Reader): ApiVersionRange {
  return { apiKey: r.int16(), minVersion: r.int16(), maxVersion: r.int16() };
}

export function encodeApiVersionsResponseV0(w: Writer, res: ApiVersionsResponseV0): Writer {
  return w.int16(res.errorCode).array(res.apiKeys, encodeApiVersionRange);
}

export function decodeApiVersionsResponseV0(r: Reader): ApiVersionsResponseV0 {
  return { errorCode: r.int16(), apiKeys: r.array(decodeApiVersionRange) };
}
