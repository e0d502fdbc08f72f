import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * JoinGroup Request (Version: 2) =>
 *   group_id STRING, session_timeout_ms INT32, rebalance_timeout_ms INT32, member_id STRING ("" on first join),
 *   protocol_type STRING ("consumer"), [protocols] (name STRING, metadata BYTES; client's preference order)
 */
export interface JoinGroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinGroupRequestV2 {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  protocolType: string;
  protocols: JoinGroupProtocol[];
}

export function decodeJoinGroupRequestV2(r: Reader): JoinGroupRequestV2 {
  return {
    groupId: r.string(),
    sessionTimeoutMs: r.int32(),
    rebalanceTimeoutMs: r.int32(),
    memberId: r.string(),
    protocolType: r.string(),
    protocols: r.array((rr) => ({ name: rr.string(), metadata: Buffer.from(rr.bytes()) })),
  };
}

export function encodeJoinGroupRequestV2(w: Writer, req: JoinGroupRequestV2): Writer {
  w.string(req.groupId).int32(req.sessionTimeoutMs).int32(req.rebalanceTimeoutMs);
  w.string(req.memberId).string(req.protocolType);
  return w.array(req.protocols, (ww, p) => {
    ww.string(p.name).bytes(p.metadata);
  });
}
