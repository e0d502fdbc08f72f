import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/** FindCoordinator Response (Version: 0) => error_code INT16, node_id INT32, host STRING, port INT32 */
export interface FindCoordinatorResponseV0 {
  errorCode: number;
  nodeId: number;
  host: string;
  port: number;
}

export function encodeFindCoordinatorResponseV0(w: Writer, res: FindCoordinatorResponseV0): Writer {
  return w.int16(res.errorCode).int32(res.nodeId).string(res.host).int32(res.port);
}

export function decodeFindCoordinatorResponseV0(r: Reader): FindCoordinatorResponseV0 {
  return { errorCode: r.int16(), nodeId: r.int32(), host: r.string(), port: r.int32() };
}
