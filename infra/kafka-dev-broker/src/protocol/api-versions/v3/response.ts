import type { ApiVersionRange } from '../../api-keys.js';
import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * ApiVersions Response (Version: 3, flexible body, but still response header v0) =>
 *   error_code INT16, api_keys COMPACT_ARRAY[api_key INT16, min INT16, max INT16, TAG_BUFFER],
 *   throttle_time_ms INT32, TAG_BUFFER
 *
 * Not used by the broker (it does not advertise v3, spec §4.1 option A); kept so the layout of option B is
 * documented and tested against the spec's byte example §11.3.
 */
export interface ApiVersionsResponseV3 {
  errorCode: number;
  apiKeys: ApiVersionRange[];
  throttleTimeMs: number;
}

export function encodeApiVersionsResponseV3(w: Writer, res: ApiVersionsResponseV3): Writer {
  w.int16(res.errorCode);
  w.compactArray(res.apiKeys, (ww, k) => {
    ww.int16(k.apiKey).int16(k.minVersion).int16(k.maxVersion).emptyTagBuffer();
  });
  return w.int32(res.throttleTimeMs).emptyTagBuffer();
}

export function decodeApiVersionsResponseV3(r: Reader): ApiVersionsResponseV3 {
  const errorCode = r.int16();
  const apiKeys =
    r.compactNullableArray((rr) => {
      const k = { apiKey: rr.int16(), minVersion: rr.int16(), maxVersion: rr.int16() };
      rr.tagBuffer();
      return k;
    }) ?? [];
  const throttleTimeMs = r.int32();
  r.tagBuffer();
  return { errorCode, apiKeys, throttleTimeMs };
}
