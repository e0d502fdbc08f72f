import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/** Heartbeat Response (Version: 1) => throttle_time_ms INT32, error_code INT16 */
export interface HeartbeatResponseV1 {
  throttleTimeMs: number;
  errorCode: number;
}

export function encodeHeartbeatResponseV1(w: Writer, res: HeartbeatResponseV1): Writer {
  return w.int32(res.throttleTimeMs).int16(res.errorCode);
}

export function decodeHeartbeatResponseV1(r: Reader): HeartbeatResponseV1 {
  return { throttleTimeMs: r.int32(), errorCode: r.int16() };
}
