import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * ListOffsets Request (Version: 2) => replica_id isolation_level [topics]
 *   replica_id => INT32 (-1)
 *   isolation_level => INT8
 *   topics => name STRING, [partitions]
 *     partitions => partition_index INT32, timestamp INT64 (-1 latest, -2 earliest, else a time in ms)
 */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

export interface ListOffsetsPartition {
  partitionIndex: number;
  timestamp: number;
}

export interface ListOffsetsTopic {
  name: string;
  partitions: ListOffsetsPartition[];
}

export interface ListOffsetsRequestV2 {
  replicaId: number;
  isolationLevel: number;
  topics: ListOffsetsTopic[];
}

export function decodeListOffsetsRequestV2(r: Reader): ListOffsetsRequestV2 {
  return {
    replicaId: r.int32(),
    isolationLevel: r.int8(),
    topics: r.array((rr) => ({
      name: rr.string(),
      partitions: rr.array((pr) => ({ partitionIndex: pr.int32(), timestamp: pr.int64() })),
    })),
  };
}

export function encodeListOffsetsRequestV2(w: Writer, req: ListOffsetsRequestV2): Writer {
  w.int32(req.replicaId).int8(req.isolationLevel);
  return w.array(req.topics, (ww, t) => {
    ww.string(t.name).array(t.partitions, (pw, p) => {
      pw.int32(p.partitionIndex).int64(p.timestamp);
    });
  });
}
