import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * SyncGroup Request (Version: 1) =>
 *   group_id STRING, generation_id INT32, member_id STRING,
 *   [assignments] (member_id STRING, assignment BYTES; non-empty only from the leader)
 */
export interface SyncGroupAssignment {
  memberId: string;
  assignment: Buffer;
}

export interface SyncGroupRequestV1 {
  groupId: string;
  generationId: number;
  memberId: string;
  assignments: SyncGroupAssignment[];
}

export function decodeSyncGroupRequestV1(r: Reader): SyncGroupRequestV1 {
  return {
    groupId: r.string(),
    generationId: r.int32(),
    memberId: r.string(),
    assignments: r.array((rr) => ({ memberId: rr.string(), assignment: Buffer.from(rr.bytes()) })),
  };
}

export function encodeSyncGroupRequestV1(w: Writer, req: SyncGroupRequestV1): Writer {
  w.string(req.groupId).int32(req.generationId).string(req.memberId);
  return w.array(req.assignments, (ww, a) => {
    ww.string(a.memberId).bytes(a.assignment);
  });
}
