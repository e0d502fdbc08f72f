import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * JoinGroup Response (Version: 2) =>
 *   throttle_time_ms INT32, error_code INT16, generation_id INT32, protocol_name STRING, leader STRING,
 *   member_id STRING, [members] (member_id STRING, metadata BYTES; full list for the leader, empty otherwise)
 */
export interface JoinGroupMember {
  memberId: string;
  metadata: Buffer;
}

export interface JoinGroupResponseV2 {
  throttleTimeMs: number;
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  members: JoinGroupMember[];
}

export function encodeJoinGroupResponseV2(w: Writer, res: JoinGroupResponseV2): Writer {
  w.int32(res.throttleTimeMs).int16(res.errorCode).int32(res.generationId);
  w.string(res.protocolName).string(res.leader).string(res.memberId);
  return w.array(res.members, (ww, m) => {
    ww.string(m.memberId).bytes(m.metadata);
  });
}

export function decodeJoinGroupResponseV2(r: Reader): JoinGroupResponseV2 {
  return {
    throttleTimeMs: r.int32(),
    errorCode: r.int16(),
    generationId: r.int32(),
    protocolName: r.string(),
    leader: r.string(),
    memberId: r.string(),
    members: r.array((rr) => ({ memberId: rr.string(), metadata: Buffer.from(rr.bytes()) })),
  };
}
