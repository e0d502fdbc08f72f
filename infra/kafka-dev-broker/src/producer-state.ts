/**
 * Idempotent-producer bookkeeping for one partition (spec §7).
 *
 * State per producer id: its epoch and the sequence ranges and base offsets of its last 5 appended batches.
 *
 * 1. producerId < 0: no checks (ordinary producers).
 * 2. No state for the producer id (first batch, or state lost): accept any baseSequence.
 * 3. Older epoch: INVALID_PRODUCER_EPOCH. Newer epoch: forget the old state; the batch must start at 0.
 * 4. (baseSequence, lastSequence) equal to one of the last 5 batches: a duplicate. Not appended; the answer is
 *    error 0 with the original base offset (what Kafka does; 46 would make kafkajs fail a retried send).
 * 5. baseSequence = previous lastSequence + 1 (INT32 max wraps to 0): append.
 * 6. Anything else: OUT_OF_ORDER_SEQUENCE_NUMBER.
 */

import { ErrorCode } from './protocol/error-codes.js';

export const PRODUCER_BATCH_HISTORY = 5;
const INT32_MAX = 0x7fffffff;

export interface SequencedBatch {
  baseSequence: number;
  lastSequence: number;
  baseOffset: number;
}

interface ProducerEntry {
  epoch: number;
  batches: SequencedBatch[];
}

export interface ProducerBatchFields {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  lastOffsetDelta: number;
}

export type SequenceCheck =
  | { result: 'append' }
  | { result: 'duplicate'; baseOffset: number }
  | { result: 'error'; errorCode: number; message: string };

export function lastSequenceOf(baseSequence: number, lastOffsetDelta: number): number {
  const last = baseSequence + lastOffsetDelta;
  return last > INT32_MAX ? last - (INT32_MAX + 1) : last;
}

function nextSequence(lastSequence: number): number {
  return lastSequence === INT32_MAX ? 0 : lastSequence + 1;
}

export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerEntry>();

  get size(): number {
    return this.producers.size;
  }

  check(b: ProducerBatchFields): SequenceCheck {
    if (b.producerId < 0) return { result: 'append' };
    const entry = this.producers.get(b.producerId);
    if (entry === undefined) return { result: 'append' };
    if (b.producerEpoch < entry.epoch) {
      return {
        result: 'error',
        errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
        message: `epoch ${b.producerEpoch} is older than ${entry.epoch}`,
      };
    }
    if (b.producerEpoch > entry.epoch) {
      if (b.baseSequence === 0) return { result: 'append' };
      return {
        result: 'error',
        errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        message: `new epoch ${b.producerEpoch} must start at sequence 0, got ${b.baseSequence}`,
      };
    }
    const lastSequence = lastSequenceOf(b.baseSequence, b.lastOffsetDelta);
    for (const prev of entry.batches) {
      if (prev.baseSequence === b.baseSequence && prev.lastSequence === lastSequence) {
        return { result: 'duplicate', baseOffset: prev.baseOffset };
      }
    }
    const last = entry.batches[entry.batches.length - 1];
    if (last === undefined || b.baseSequence === nextSequence(last.lastSequence)) return { result: 'append' };
    return {
      result: 'error',
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
      message: `expected sequence ${nextSequence(last.lastSequence)}, got ${b.baseSequence}`,
    };
  }

  /** Records an appended batch (call only after `check` returned 'append'). */
  record(b: ProducerBatchFields, baseOffset: number): void {
    if (b.producerId < 0) return;
    let entry = this.producers.get(b.producerId);
    if (entry === undefined || b.producerEpoch > entry.epoch) {
      entry = { epoch: b.producerEpoch, batches: [] };
      this.producers.set(b.producerId, entry);
    }
    entry.batches.push({
      baseSequence: b.baseSequence,
      lastSequence: lastSequenceOf(b.baseSequence, b.lastOffsetDelta),
      baseOffset,
    });
    if (entry.batches.length > PRODUCER_BATCH_HISTORY) entry.batches.shift();
  }
}
