import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * Metadata Request (Version: 4) => [topics] allow_auto_topic_creation
 *   topics => STRING (nullable array: null = all topics, empty = brokers only)
 *   allow_auto_topic_creation => BOOLEAN
 */
export interface MetadataRequestV4 {
  topics: string[] | null;
  allowAutoTopicCreation: boolean;
}

export function decodeMetadataRequestV4(r: Reader): MetadataRequestV4 {
  const topics = r.nullableArray((rr) => rr.string());
  return { topics, allowAutoTopicCreation: r.boolean() };
}

export function encodeMetadataRequestV4(w: Writer, req: MetadataRequestV4): Writer {
  return w.nullableArray(req.topics, (ww, t) => ww.string(t)).boolean(req.allowAutoTopicCreation);
}
