import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * Fetch Request (Version: 4) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
 *   replica_id => INT32 (-1 for consumers)
 *   max_wait_ms, min_bytes, max_bytes => INT32 (max_bytes is a response-wide soft limit)
 *   isolation_level => INT8 (0 read_uncommitted, 1 read_committed)
 *   topics => topic STRING, [partitions]
 *     partitions => partition INT32, fetch_offset INT64, partition_max_bytes INT32
 */
export interface FetchPartition {
  partition: number;
  fetchOffset: number;
  partitionMaxBytes: number;
}

export interface FetchTopic {
  topic: string;
  partitions: FetchPartition[];
}

export interface FetchRequestV4 {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  topics: FetchTopic[];
}

export function decodeFetchRequestV4(r: Reader): FetchRequestV4 {
  return {
    replicaId: r.int32(),
    maxWaitMs: r.int32(),
    minBytes: r.int32(),
    maxBytes: r.int32(),
    isolationLevel: r.int8(),
    topics: r.array((rr) => ({
      topic: rr.string(),
      partitions: rr.array((pr) => ({
        partition: pr.int32(),
        fetchOffset: pr.int64(),
        partitionMaxBytes: pr.int32(),
      })),
    })),
  };
}

export function encodeFetchRequestV4(w: Writer, req: FetchRequestV4): Writer {
  w.int32(req.replicaId)
    .int32(req.maxWaitMs)
    .int32(req.minBytes)
    .int32(req.maxBytes)
    .int8(req.isolationLevel);
  return w.array(req.topics, (ww, t) => {
    ww.string(t.topic).array(t.partitions, (pw, p) => {
      pw.int32(p.partition).int64(p.fetchOffset).int32(p.partitionMaxBytes);
    });
  });
}
