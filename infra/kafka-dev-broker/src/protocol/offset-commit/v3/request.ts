import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * OffsetCommit Request (Version: 3) => group_id generation_id member_id retention_time_ms [topics]
 *   group_id => STRING
 *   generation_id => INT32 (-1 for a "simple" commit outside a generation)
 *   member_id => STRING ("" for a simple commit)
 *   retention_time_ms => INT64 (-1 = broker default; ignored)
 *   topics => name STRING, [partitions]
 *     partitions => partition_index INT32, committed_offset INT64, committed_metadata NULLABLE_STRING
 */
export interface OffsetCommitPartition {
  partitionIndex: number;
  committedOffset: number;
  committedMetadata: string | null;
}

export interface OffsetCommitTopic {
  name: string;
  partitions: OffsetCommitPartition[];
}

export interface OffsetCommitRequestV3 {
  groupId: string;
  generationId: number;
  memberId: string;
  retentionTimeMs: number;
  topics: OffsetCommitTopic[];
}

export function decodeOffsetCommitRequestV3(r: Reader): OffsetCommitRequestV3 {
  return {
    groupId: r.string(),
    generationId: r.int32(),
    memberId: r.string(),
    retentionTimeMs: r.int64(),
    topics: r.array((rr) => ({
      name: rr.string(),
      partitions: rr.array((pr) => ({
        partitionIndex: pr.int32(),
        committedOffset: pr.int64(),
        committedMetadata: pr.nullableString(),
      })),
    })),
  };
}

export function encodeOffsetCommitRequestV3(w: Writer, req: OffsetCommitRequestV3): Writer {
  w.string(req.groupId).int32(req.generationId).string(req.memberId).int64(req.retentionTimeMs);
  return w.array(req.topics, (ww, t) => {
    ww.string(t.name).array(t.partitions, (pw, p) => {
      pw.int32(p.partitionIndex).int64(p.committedOffset).nullableString(p.committedMetadata);
    });
  });
}
