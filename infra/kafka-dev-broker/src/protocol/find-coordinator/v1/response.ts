import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * FindCoordinator Response (Version: 1) =>
 *   throttle_time_ms INT32, error_code INT16, error_message NULLABLE_STRING, node_id INT32, host STRING, port INT32
 */
export interface FindCoordinatorResponseV1 {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}

export function encodeFindCoordinatorResponseV1(w: Writer, res: FindCoordinatorResponseV1): Writer {
  return w
    .int32(res.throttleTimeMs)
    .int16(res.errorCode)
    .nullableString(res.errorMessage)
    .int32(res.nodeId)
    .string(res.host)
    .int32(res.port);
}

export function decodeFindCoordinatorResponseV1(r: Reader): FindCoordinatorResponseV1 {
  return {
    throttleTimeMs: r.int32(),
    errorCode: r.int16(),
    errorMessage: r.nullableString(),
    nodeId: r.int32(),
    host: r.string(),
    port: r.int32(),
  };
}
