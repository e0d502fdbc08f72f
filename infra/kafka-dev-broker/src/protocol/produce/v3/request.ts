import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * Produce Request (Version: 3) => transactional_id acks timeout_ms [topic_data]
 *   transactional_id => NULLABLE_STRING
 *   acks => INT16 (-1 all, 1 leader, 0 no response at all)
 *   timeout_ms => INT32
 *   topic_data => name STRING, [partition_data]
 *     partition_data => index INT32, records RECORDS (NULLABLE_BYTES holding RecordBatch v2s back to back)
 */
export interface ProducePartitionData {
  index: number;
  records: Buffer | null;
}

export interface ProduceTopicData {
  name: string;
  partitionData: ProducePartitionData[];
}

export interface ProduceRequestV3 {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topicData: ProduceTopicData[];
}

export function decodeProduceRequestV3(r: Reader): ProduceRequestV3 {
  return {
    transactionalId: r.nullableString(),
    acks: r.int16(),
    timeoutMs: r.int32(),
    topicData: r.array((rr) => ({
      name: rr.string(),
      partitionData: rr.array((pr) => ({ index: pr.int32(), records: pr.nullableBytes() })),
    })),
  };
}

export function encodeProduceRequestV3(w: Writer, req: ProduceRequestV3): Writer {
  w.nullableString(req.transactionalId).int16(req.acks).int32(req.timeoutMs);
  return w.array(req.topicData, (ww, t) => {
    ww.string(t.name).array(t.partitionData, (pw, p) => {
      pw.int32(p.index).nullableBytes(p.records);
    });
  });
}
