import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * Fetch Response (Version: 4) => throttle_time_ms [responses]
 *   responses => topic STRING, [partitions]
 *     partitions => partition_index INT32, error_code INT16, high_watermark INT64, last_stable_offset INT64,
 *                   [aborted_transactions] (nullable: producer_id INT64, first_offset INT64),
 *                   records RECORDS
 * (log_start_offset only exists from v5 on.)
 */
export interface AbortedTransaction {
  producerId: number;
  firstOffset: number;
}

export interface FetchPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  abortedTransactions: AbortedTransaction[] | null;
  /** Whole record batches; written back to back as one RECORDS field. */
  records: Buffer[];
}

export interface FetchTopicResponse {
  topic: string;
  partitions: FetchPartitionResponse[];
}

export interface FetchResponseV4 {
  throttleTimeMs: number;
  responses: FetchTopicResponse[];
}

export function encodeFetchResponseV4(w: Writer, res: FetchResponseV4): Writer {
  w.int32(res.throttleTimeMs);
  return w.array(res.responses, (ww, t) => {
    ww.string(t.topic).array(t.partitions, (pw, p) => {
      pw.int32(p.partitionIndex).int16(p.errorCode).int64(p.highWatermark).int64(p.lastStableOffset);
      pw.nullableArray(p.abortedTransactions, (aw, a) => {
        aw.int64(a.producerId).int64(a.firstOffset);
      });
      let size = 0;
      for (const b of p.records) size += b.length;
      pw.int32(size);
      for (const b of p.records) pw.raw(b);
    });
  });
}

export function decodeFetchResponseV4(r: Reader): FetchResponseV4 {
  const throttleTimeMs = r.int32();
  const responses = r.array((rr) => ({
    topic: rr.string(),
    partitions: rr.array((pr) => {
      const partitionIndex = pr.int32();
      const errorCode = pr.int16();
      const highWatermark = pr.int64();
      const lastStableOffset = pr.int64();
      const abortedTransactions = pr.nullableArray((ar) => ({
        producerId: ar.int64(),
        firstOffset: ar.int64(),
      }));
      const blob = pr.nullableBytes();
      return {
        partitionIndex,
        errorCode,
        highWatermark,
        lastStableOffset,
        abortedTransactions,
        records: blob && blob.length > 0 ? [blob] : [],
      };
    }),
  }));
  return { throttleTimeMs, responses };
}
