import type { ApiHandler, BrokerContext } from '../broker-context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeFetchRequestV4, type FetchRequestV4 } from '../protocol/fetch/v4/request.js';
import {
  encodeFetchResponseV4,
  type FetchPartitionResponse,
  type FetchResponseV4,
} from '../protocol/fetch/v4/response.js';
import { Writer } from '../protocol/writer.js';
import type { PartitionLog } from '../topic-store.js';

interface Built {
  response: FetchResponseV4;
  recordBytes: number;
  hasError: boolean;
}

/**
 * Collects whole stored batches for each partition, starting with the batch that holds `fetch_offset`
 * (spec §6.2). Batches are added while the partition stays within partition_max_bytes and the response
 * within max_bytes; the first batch of the response is always included, however large, so a consumer can
 * never get stuck behind a big batch.
 */
export function buildFetchResponse(ctx: BrokerContext, req: FetchRequestV4): Built {
  let recordBytes = 0;
  let hasError = false;
  const responses = req.topics.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p): FetchPartitionResponse => {
      const log = ctx.store.partition(t.topic, p.partition);
      if (log === undefined) {
        hasError = true;
        return {
          partitionIndex: p.partition,
          errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          highWatermark: -1,
          lastStableOffset: -1,
          abortedTransactions: null,
          records: [],
        };
      }
      const hw = log.logEndOffset;
      const base = {
        partitionIndex: p.partition,
        highWatermark: hw,
        lastStableOffset: hw,
        abortedTransactions: null,
      };
      if (p.fetchOffset < log.logStartOffset || p.fetchOffset > hw) {
        hasError = true;
        return { ...base, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, records: [] };
      }
      const records: Buffer[] = [];
      if (p.fetchOffset < hw) {
        let partitionBytes = 0;
        for (let i = log.findBatchIndex(p.fetchOffset); i >= 0 && i < log.entries.length; i++) {
          const e = log.entries[i];
          const firstOfResponse = recordBytes === 0;
          const firstOfPartition = records.length === 0;
          if (!firstOfResponse) {
            if (recordBytes + e.size > req.maxBytes) break;
            if (!firstOfPartition && partitionBytes + e.size > p.partitionMaxBytes) break;
          }
          records.push(log.read(e));
          partitionBytes += e.size;
          recordBytes += e.size;
        }
      }
      return { ...base, errorCode: ErrorCode.NONE, records };
    }),
  }));
  return { response: { throttleTimeMs: 0, responses }, recordBytes, hasError };
}

/** Waits until one of the partitions gets an append, the time runs out, or the broker stops. */
function waitForData(ctx: BrokerContext, logs: PartitionLog[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const cancels: (() => void)[] = [];
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      for (const c of cancels) c();
      resolve();
    };
    for (const log of logs) cancels.push(log.onAppend(finish));
    timer = setTimeout(finish, ms);
    ctx.stopping.then(finish, finish);
  });
}

/** Fetch v4 with long polling: answers when min_bytes of records are there, on any error, or at max_wait_ms. */
export const handleFetch: ApiHandler = async (ctx, { body }) => {
  const req = decodeFetchRequestV4(body);
  const deadline = Date.now() + Math.max(0, req.maxWaitMs);
  for (;;) {
    const built = buildFetchResponse(ctx, req);
    const remaining = deadline - Date.now();
    if (built.recordBytes >= req.minBytes || built.hasError || remaining <= 0) {
      return encodeFetchResponseV4(new Writer(256 + built.recordBytes), built.response);
    }
    const logs = req.topics.flatMap((t) =>
      t.partitions.map((p) => ctx.store.partition(t.topic, p.partition)).filter((l) => l !== undefined),
    );
    await waitForData(ctx, logs, remaining);
    if (ctx.isStopping()) return null;
  }
};
