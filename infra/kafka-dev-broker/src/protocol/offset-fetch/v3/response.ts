import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * OffsetFetch Response (Version: 3) => throttle_time_ms [topics] error_code
 *   topics => name STRING, [partitions]
 *     partitions => partition_index INT32, committed_offset INT64, metadata NULLABLE_STRING, error_code INT16
 *   error_code => INT16 (top level, v2+)
 */
export interface OffsetFetchPartitionResponse {
  partitionIndex: number;
  committedOffset: number;
  metadata: string | null;
  errorCode: number;
}

export interface OffsetFetchTopicResponse {
  name: string;
  partitions: OffsetFetchPartitionResponse[];
}

export interface OffsetFetchResponseV3 {
  throttleTimeMs: number;
  topics: OffsetFetchTopicResponse[];
  errorCode: number;
}

export function encodeOffsetFetchResponseV3(w: Writer, res: OffsetFetchResponseV3): Writer {
  w.int32(res.throttleTimeMs);
  w.array(res.topics, (ww, t) => {
    ww.string(t.name).array(t.partitions, (pw, p) => {
      pw.int32(p.partitionIndex).int64(p.committedOffset).nullableString(p.metadata).int16(p.errorCode);
    });
  });
  return w.int16(res.errorCode);
}

export function decodeOffsetFetchResponseV3(r: Reader): OffsetFetchResponseV3 {
  const throttleTimeMs = r.int32();
  const topics = r.array((rr) => ({
    name: rr.string(),
    partitions: rr.array((pr) => ({
      partitionIndex: pr.int32(),
      committedOffset: pr.int64(),
      metadata: pr.nullableString(),
      errorCode: pr.int16(),
    })),
  }));
  return { throttleTimeMs, topics, errorCode: r.int16() };
}
