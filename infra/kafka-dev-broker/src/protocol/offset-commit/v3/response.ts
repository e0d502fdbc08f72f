import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * OffsetCommit Response (Version: 3) => throttle_time_ms [topics]
 *   topics => name STRING, [partitions]
 *     partitions => partition_index INT32, error_code INT16
 */
export interface OffsetCommitPartitionResponse {
  partitionIndex: number;
  errorCode: number;
}

export interface OffsetCommitTopicResponse {
  name: string;
  partitions: OffsetCommitPartitionResponse[];
}

export interface OffsetCommitResponseV3 {
  throttleTimeMs: number;
  topics: OffsetCommitTopicResponse[];
}

export function encodeOffsetCommitResponseV3(w: Writer, res: OffsetCommitResponseV3): Writer {
  w.int32(res.throttleTimeMs);
  return w.array(res.topics, (ww, t) => {
    ww.string(t.name).array(t.partitions, (pw, p) => {
      pw.int32(p.partitionIndex).int16(p.errorCode);
    });
  });
}

export function decodeOffsetCommitResponseV3(r: Reader): OffsetCommitResponseV3 {
  return {
    throttleTimeMs: r.int32(),
    topics: r.array((rr) => ({
      name: rr.string(),
      partitions: rr.array((pr) => ({ partitionIndex: pr.int32(), errorCode: pr.int16() })),
    })),
  };
}
