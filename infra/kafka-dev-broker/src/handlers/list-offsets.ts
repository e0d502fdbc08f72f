import type { ApiHandler } from '../broker-context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  decodeListOffsetsRequestV2,
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
} from '../protocol/list-offsets/v2/request.js';
import {
  encodeListOffsetsResponseV2,
  type ListOffsetsPartitionResponse,
} from '../protocol/list-offsets/v2/response.js';
import { canDecodeCompression, decodeRecords, readRecordBatchHeader } from '../protocol/record-batch.js';
import { Writer } from '../protocol/writer.js';
import type { PartitionLog } from '../topic-store.js';

/**
 * The first offset whose record timestamp is ≥ `timestamp`, with that record's timestamp. Exact for
 * uncompressed and gzip batches; for snappy/lz4/zstd batches (not decoded here) it is batch-granular: the
 * base offset and max timestamp of the first batch whose max timestamp is ≥ `timestamp`.
 */
export function offsetForTimestamp(
  log: PartitionLog,
  timestamp: number,
): { offset: number; timestamp: number } | null {
  for (const e of log.entries) {
    if (e.maxTimestamp < timestamp) continue;
    if (canDecodeCompression(e.compression)) {
      const batch = log.read(e);
      const h = readRecordBatchHeader(batch);
      for (const r of decodeRecords(batch, h)) {
        const ts = h.baseTimestamp + r.timestampDelta;
        if (ts >= timestamp) return { offset: e.baseOffset + r.offsetDelta, timestamp: ts };
      }
    }
    return { offset: e.baseOffset, timestamp: e.maxTimestamp };
  }
  return null;
}

/** ListOffsets v2: -1 latest (= high watermark), -2 earliest (= log start), otherwise a timestamp lookup. */
export const handleListOffsets: ApiHandler = (ctx, { body }) => {
  const req = decodeListOffsetsRequestV2(body);
  const topics = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p): ListOffsetsPartitionResponse => {
      const log = ctx.store.partition(t.name, p.partitionIndex);
      const answer = (errorCode: number, offset: number, timestamp = -1) => ({
        partitionIndex: p.partitionIndex,
        errorCode,
        timestamp,
        offset,
      });
      if (log === undefined) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1);
      if (p.timestamp === LATEST_TIMESTAMP) return answer(ErrorCode.NONE, log.logEndOffset);
      if (p.timestamp === EARLIEST_TIMESTAMP) return answer(ErrorCode.NONE, log.logStartOffset);
      if (p.timestamp < 0) return answer(ErrorCode.INVALID_REQUEST, -1);
      const found = offsetForTimestamp(log, p.timestamp);
      return found === null
        ? answer(ErrorCode.NONE, -1)
        : answer(ErrorCode.NONE, found.offset, found.timestamp);
    }),
  }));
  return encodeListOffsetsResponseV2(new Writer(128), { throttleTimeMs: 0, topics });
};
