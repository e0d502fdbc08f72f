import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/** SyncGroup Response (Version: 1) => throttle_time_ms INT32, error_code INT16, assignment BYTES */
export interface SyncGroupResponseV1 {
  throttleTimeMs: number;
  errorCode: number;
  assignment: Buffer;
}

export function encodeSyncGroupResponseV1(w: Writer, res: SyncGroupResponseV1): Writer {
  return w.int32(res.throttleTimeMs).int16(res.errorCode).bytes(res.assignment);
}

export function decodeSyncGroupResponseV1(r: Reader): SyncGroupResponseV1 {
  return { throttleTimeMs: r.int32(), errorCode: r.int16(), assignment: Buffer.from(r.bytes()) };
}
