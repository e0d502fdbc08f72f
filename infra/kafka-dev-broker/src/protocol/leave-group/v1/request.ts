import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/** LeaveGroup Request (Version: 1) => group_id STRING, member_id STRING */
export interface LeaveGroupRequestV1 {
  groupId: string;
  memberId: string;
}

export function decodeLeaveGroupRequestV1(r: Reader): LeaveGroupRequestV1 {
  return { groupId: r.string(), memberId: r.string() };
}

export function encodeLeaveGroupRequestV1(w: Writer, req: LeaveGroupRequestV1): Writer {
  return w.string(req.groupId).string(req.memberId);
}
