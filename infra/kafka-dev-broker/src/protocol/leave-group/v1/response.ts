import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/** LeaveGroup Response (Version: 1) => throttle_time_ms INT32, error_code INT16 */
export interface LeaveGroupResponseV1 {
  throttleTimeMs: number;
  errorCode: number;
}

export function encodeLeaveGroupResponseV1(w: Writer, res: LeaveGroupResponseV1): Writer {
  return w.int32(res.throttleTimeMs).int16(res.errorCode);
}

export function decodeLeaveGroupResponseV1(r: Reader): LeaveGroupResponseV1 {
  return { throttleTimeMs: r.int32(), errorCode: r.int16() };
}
