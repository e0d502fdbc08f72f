import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';
import type { ProduceTopicData } from '../v3/request.js';

/**
 * Produce Request (Version: 0; versions 1 and 2 are identical) => acks timeout_ms [topic_data]
 *   acks => INT16, timeout_ms => INT32
 *   topic_data => name STRING, [partition_data] (index INT32, records RECORDS)
 *
 * Neither client sends these versions; they are advertised (Produce 0..3) only because librdkafka's
 * compression check needs the Produce range to include v0 (see api-keys.ts). The records must still be
 * RecordBatch v2.
 */
export interface ProduceRequestV0 {
  acks: number;
  timeoutMs: number;
  topicData: ProduceTopicData[];
}

export function decodeProduceRequestV0(r: Reader): ProduceRequestV0 {
  return {
    acks: r.int16(),
    timeoutMs: r.int32(),
    topicData: r.array((rr) => ({
      name: rr.string(),
      partitionData: rr.array((pr) => ({ index: pr.int32(), records: pr.nullableBytes() })),
    })),
  };
}

export function encodeProduceRequestV0(w: Writer, req: ProduceRequestV0): Writer {
  w.int16(req.acks).int32(req.timeoutMs);
  return w.array(req.topicData, (ww, t) => {
    ww.string(t.name).array(t.partitionData, (pw, p) => {
      pw.int32(p.index).nullableBytes(p.records);
    });
  });
}
