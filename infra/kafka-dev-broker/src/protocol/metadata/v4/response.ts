import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * Metadata Response (Version: 4) => throttle_time_ms [brokers] cluster_id controller_id [topics]
 *   brokers => node_id INT32, host STRING, port INT32, rack NULLABLE_STRING
 *   cluster_id => NULLABLE_STRING
 *   controller_id => INT32
 *   topics => error_code INT16, name STRING, is_internal BOOLEAN, [partitions]
 *     partitions => error_code INT16, partition_index INT32, leader_id INT32, [replica_nodes INT32],
 *                   [isr_nodes INT32]
 */
export interface MetadataBroker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface MetadataPartition {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
  replicaNodes: number[];
  isrNodes: number[];
}

export interface MetadataTopic {
  errorCode: number;
  name: string;
  isInternal: boolean;
  partitions: MetadataPartition[];
}

export interface MetadataResponseV4 {
  throttleTimeMs: number;
  brokers: MetadataBroker[];
  clusterId: string | null;
  controllerId: number;
  topics: MetadataTopic[];
}

const int32 = (w: Writer, n: number) => {
  w.int32(n);
};

export function encodeMetadataResponseV4(w: Writer, res: MetadataResponseV4): Writer {
  w.int32(res.throttleTimeMs);
  w.array(res.brokers, (ww, b) => {
    ww.int32(b.nodeId).string(b.host).int32(b.port).nullableString(b.rack);
  });
  w.nullableString(res.clusterId).int32(res.controllerId);
  return w.array(res.topics, (ww, t) => {
    ww.int16(t.errorCode).string(t.name).boolean(t.isInternal);
    ww.array(t.partitions, (pw, p) => {
      pw.int16(p.errorCode).int32(p.partitionIndex).int32(p.leaderId);
      pw.array(p.replicaNodes, int32).array(p.isrNodes, int32);
    });
  });
}

export function decodeMetadataResponseV4(r: Reader): MetadataResponseV4 {
  const throttleTimeMs = r.int32();
  const brokers = r.array((rr) => ({
    nodeId: rr.int32(),
    host: rr.string(),
    port: rr.int32(),
    rack: rr.nullableString(),
  }));
  const clusterId = r.nullableString();
  const controllerId = r.int32();
  const topics = r.array((rr) => ({
    errorCode: rr.int16(),
    name: rr.string(),
    isInternal: rr.boolean(),
    partitions: rr.array((pr) => ({
      errorCode: pr.int16(),
      partitionIndex: pr.int32(),
      leaderId: pr.int32(),
      replicaNodes: pr.array((x) => x.int32()),
      isrNodes: pr.array((x) => x.int32()),
    })),
  }));
  return { throttleTimeMs, brokers, clusterId, controllerId, topics };
}
