import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * Produce Response (Version: 3) => [responses] throttle_time_ms   (throttle comes last)
 *   responses => name STRING, [partition_responses]
 *     partition_responses => index INT32, error_code INT16, base_offset INT64, log_append_time_ms INT64
 */
export interface ProducePartitionResponse {
  index: number;
  errorCode: number;
  baseOffset: number;
  logAppendTimeMs: number;
}

export interface ProduceTopicResponse {
  name: string;
  partitionResponses: ProducePartitionResponse[];
}

export interface ProduceResponseV3 {
  responses: ProduceTopicResponse[];
  throttleTimeMs: number;
}

export function encodeProduceResponseV3(w: Writer, res: ProduceResponseV3): Writer {
  w.array(res.responses, (ww, t) => {
    ww.string(t.name).array(t.partitionResponses, (pw, p) => {
      pw.int32(p.index).int16(p.errorCode).int64(p.baseOffset).int64(p.logAppendTimeMs);
    });
  });
  return w.int32(res.throttleTimeMs);
}

export function decodeProduceResponseV3(r: Reader): ProduceResponseV3 {
  const responses = r.array((rr) => ({
    name: rr.string(),
    partitionResponses: rr.array((pr) => ({
      index: pr.int32(),
      errorCode: pr.int16(),
      baseOffset: pr.int64(),
      logAppendTimeMs: pr.int64(),
    })),
  }));
  return { responses, throttleTimeMs: r.int32() };
}
