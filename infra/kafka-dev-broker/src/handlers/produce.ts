import type { ApiHandler, BrokerContext } from '../broker-context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { ProtocolError } from '../protocol/errors.js';
import { decodeProduceRequestV0 } from '../protocol/produce/v0/request.js';
import { encodeProduceResponseV0 } from '../protocol/produce/v0/response.js';
import { encodeProduceResponseV1 } from '../protocol/produce/v1/response.js';
import { decodeProduceRequestV3 } from '../protocol/produce/v3/request.js';
import { encodeProduceResponseV3, type ProducePartitionResponse } from '../protocol/produce/v3/response.js';
import {
  ATTRIBUTE_CONTROL,
  COMPRESSION_NAMES,
  canDecodeCompression,
  checkRecordBatch,
  compressionOf,
  type RecordBatchHeader,
  readRecordBatchHeader,
  splitRecordBatches,
  validateRecords,
} from '../protocol/record-batch.js';
import { Writer } from '../protocol/writer.js';
import type { PartitionLog } from '../topic-store.js';

interface AppendResult {
  errorCode: number;
  baseOffset: number;
  message?: string;
}

/**
 * Validates a partition's RECORDS blob and appends its batches (spec §6.1 and §7).
 *
 * Every batch is checked before any is appended: magic 2, length, CRC-32C, size limit, no control batches;
 * uncompressed and gzip batches also have their records decoded and checked. Snappy, lz4 and zstd batches
 * cannot be decompressed here: they are validated by header and CRC only and stored as received, which is
 * enough, because offsets only need the header's lastOffsetDelta.
 */
export function appendRecords(ctx: BrokerContext, log: PartitionLog, records: Buffer | null): AppendResult {
  const corrupt = (message: string): AppendResult => ({
    errorCode: ErrorCode.CORRUPT_MESSAGE,
    baseOffset: -1,
    message,
  });
  if (records === null || records.length === 0) return corrupt('no records');
  let batches: Buffer[];
  try {
    batches = splitRecordBatches(records);
  } catch (e) {
    if (e instanceof ProtocolError) return corrupt(e.message);
    throw e;
  }
  const headers: RecordBatchHeader[] = [];
  for (const batch of batches) {
    if (batch.length > ctx.settings.maxMessageBytes) {
      return {
        errorCode: ErrorCode.MESSAGE_TOO_LARGE,
        baseOffset: -1,
        message: `batch of ${batch.length} bytes exceeds ${ctx.settings.maxMessageBytes}`,
      };
    }
    const problem = checkRecordBatch(batch);
    if (problem !== null) {
      if (problem.kind === 'magic' && (problem.magic === 0 || problem.magic === 1)) {
        return {
          errorCode: ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT,
          baseOffset: -1,
          message: `message set magic ${problem.magic}: only RecordBatch v2 is supported`,
        };
      }
      if (problem.kind === 'magic') return corrupt(`magic ${problem.magic}`);
      return corrupt(problem.kind === 'crc' ? 'CRC mismatch' : problem.message);
    }
    const h = readRecordBatchHeader(batch);
    if ((h.attributes & ATTRIBUTE_CONTROL) !== 0) return corrupt('clients may not write control batches');
    if (h.lastOffsetDelta < 0 || h.recordCount < 0) return corrupt('negative lastOffsetDelta or recordCount');
    const codec = compressionOf(h.attributes);
    if (codec >= COMPRESSION_NAMES.length) return corrupt(`unknown compression codec ${codec}`);
    if (ctx.settings.validateRecords && canDecodeCompression(codec)) {
      const bad = validateRecords(batch, h);
      if (bad !== null) return corrupt(bad);
    }
    headers.push(h);
  }

  let firstBaseOffset = -1;
  for (let i = 0; i < batches.length; i++) {
    const h = headers[i];
    const check = log.producers.check(h);
    let baseOffset: number;
    if (check.result === 'error') {
      return { errorCode: check.errorCode, baseOffset: -1, message: check.message };
    }
    if (check.result === 'duplicate') {
      ctx.log(
        `${log.topic}-${log.index}: duplicate batch producer ${h.producerId} seq ${h.baseSequence} (offset ${check.baseOffset})`,
      );
      baseOffset = check.baseOffset;
    } else {
      baseOffset = log.append(batches[i], h).baseOffset;
    }
    if (firstBaseOffset < 0) firstBaseOffset = baseOffset;
  }
  return { errorCode: ErrorCode.NONE, baseOffset: firstBaseOffset };
}

/**
 * Produce v0–v3 (clients send v3; v0–v2 differ only in layout: no transactional_id, and fewer response
 * fields). acks 0 gets no response at all; acks outside {-1, 0, 1} gets INVALID_REQUIRED_ACKS.
 */
export const handleProduce: ApiHandler = (ctx, { header, body }) => {
  const version = header.apiVersion;
  const req =
    version >= 3 ? decodeProduceRequestV3(body) : { transactionalId: null, ...decodeProduceRequestV0(body) };
  const acksOk = req.acks === -1 || req.acks === 0 || req.acks === 1;
  const responses = req.topicData.map((t) => ({
    name: t.name,
    partitionResponses: t.partitionData.map((p): ProducePartitionResponse => {
      const fail = (errorCode: number) => ({
        index: p.index,
        errorCode,
        baseOffset: -1,
        logAppendTimeMs: -1,
      });
      if (!acksOk) return fail(ErrorCode.INVALID_REQUIRED_ACKS);
      const log = ctx.store.partition(t.name, p.index);
      if (log === undefined) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      const result = appendRecords(ctx, log, p.records);
      if (result.errorCode !== ErrorCode.NONE) {
        ctx.log(`produce ${t.name}-${p.index}: error ${result.errorCode} (${result.message ?? ''})`);
      }
      return {
        index: p.index,
        errorCode: result.errorCode,
        baseOffset: result.baseOffset,
        logAppendTimeMs: -1,
      };
    }),
  }));
  if (req.acks === 0) return null;
  const w = new Writer(128);
  if (version >= 2) return encodeProduceResponseV3(w, { responses, throttleTimeMs: 0 });
  if (version === 1) return encodeProduceResponseV1(w, { responses, throttleTimeMs: 0 });
  return encodeProduceResponseV0(w, { responses });
};
