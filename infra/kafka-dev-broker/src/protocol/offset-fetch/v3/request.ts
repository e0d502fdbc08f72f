import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * OffsetFetch Request (Version: 3) => group_id [topics]
 *   group_id => STRING
 *   topics => name STRING, [partition_indexes INT32]   (nullable: null = everything the group committed)
 */
export interface OffsetFetchTopic {
  name: string;
  partitionIndexes: number[];
}

export interface OffsetFetchRequestV3 {
  groupId: string;
  topics: OffsetFetchTopic[] | null;
}

export function decodeOffsetFetchRequestV3(r: Reader): OffsetFetchRequestV3 {
  return {
    groupId: r.string(),
    topics: r.nullableArray((rr) => ({ name: rr.string(), partitionIndexes: rr.array((pr) => pr.int32()) })),
  };
}

export function encodeOffsetFetchRequestV3(w: Writer, req: OffsetFetchRequestV3): Writer {
  w.string(req.groupId);
  return w.nullableArray(req.topics, (ww, t) => {
    ww.string(t.name).array(t.partitionIndexes, (pw, p) => {
      pw.int32(p);
    });
  });
}
