import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * ListOffsets Response (Version: 2) => throttle_time_ms [topics]
 *   topics => name STRING, [partitions]
 *     partitions => partition_index INT32, error_code INT16, timestamp INT64, offset INT64
 */
export interface ListOffsetsPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  timestamp: number;
  offset: number;
}

export interface ListOffsetsTopicResponse {
  name: string;
  partitions: ListOffsetsPartitionResponse[];
}

export interface ListOffsetsResponseV2 {
  throttleTimeMs: number;
  topics: ListOffsetsTopicResponse[];
}

export function encodeListOffsetsResponseV2(w: Writer, res: ListOffsetsResponseV2): Writer {
  w.int32(res.throttleTimeMs);
  return w.array(res.topics, (ww, t) => {
    ww.string(t.name).array(t.partitions, (pw, p) => {
      pw.int32(p.partitionIndex).int16(p.errorCode).int64(p.timestamp).int64(p.offset);
    });
  });
}

export function decodeListOffsetsResponseV2(r: Reader): ListOffsetsResponseV2 {
  return {
    throttleTimeMs: r.int32(),
    topics: r.array((rr) => ({
      name: rr.string(),
      partitions: rr.array((pr) => ({
        partitionIndex: pr.int32(),
        errorCode: pr.int16(),
        timestamp: pr.int64(),
        offset: pr.int64(),
      })),
    })),
  };
}
