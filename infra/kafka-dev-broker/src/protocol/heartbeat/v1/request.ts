import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/** Heartbeat Request (Version: 1) => group_id STRING, generation_id INT32, member_id STRING */
export interface HeartbeatRequestV1 {
  groupId: string;
  generationId: number;
  memberId: string;
}

export function decodeHeartbeatRequestV1(r: Reader): HeartbeatRequestV1 {
  return { groupId: r.string(), generationId: r.int32(), memberId: r.string() };
}

export function encodeHeartbeatRequestV1(w: Writer, req: HeartbeatRequestV1): Writer {
  return w.string(req.groupId).int32(req.generationId).string(req.memberId);
}
