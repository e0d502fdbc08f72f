import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * CreateTopics Response (Version: 2) => throttle_time_ms [topics]
 *   topics => name STRING, error_code INT16, error_message NULLABLE_STRING
 */
export interface CreatableTopicResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

export interface CreateTopicsResponseV2 {
  throttleTimeMs: number;
  topics: CreatableTopicResult[];
}

export function encodeCreateTopicsResponseV2(w: Writer, res: CreateTopicsResponseV2): Writer {
  w.int32(res.throttleTimeMs);
  return w.array(res.topics, (ww, t) => {
    ww.string(t.name).int16(t.errorCode).nullableString(t.errorMessage);
  });
}

export function decodeCreateTopicsResponseV2(r: Reader): CreateTopicsResponseV2 {
  return {
    throttleTimeMs: r.int32(),
    topics: r.array((rr) => ({
      name: rr.string(),
      errorCode: rr.int16(),
      errorMessage: rr.nullableString(),
    })),
  };
}
