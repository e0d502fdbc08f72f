import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * Produce Response (Version: 0) => [responses]
 *   responses => name STRING, [partition_responses] (index INT32, error_code INT16, base_offset INT64)
 */
export interface ProducePartitionResponseV0 {
  index: number;
  errorCode: number;
  baseOffset: number;
}

export interface ProduceResponseV0 {
  responses: { name: string; partitionResponses: ProducePartitionResponseV0[] }[];
}

export function encodeProduceResponseV0(w: Writer, res: ProduceResponseV0): Writer {
  return w.array(res.responses, (ww, t) => {
    ww.string(t.name).array(t.partitionResponses, (pw, p) => {
      pw.int32(p.index).int16(p.errorCode).int64(p.baseOffset);
    });
  });
}

export function decodeProduceResponseV0(r: Reader): ProduceResponseV0 {
  return {
    responses: r.array((rr) => ({
      name: rr.string(),
      partitionResponses: rr.array((pr) => ({
        index: pr.int32(),
        errorCode: pr.int16(),
        baseOffset: pr.int64(),
      })),
    })),
  };
}
