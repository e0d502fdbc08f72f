import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/** FindCoordinator Request (Version: 1) => key STRING, key_type INT8 (0 = group, 1 = transaction) */
export interface FindCoordinatorRequestV1 {
  key: string;
  keyType: number;
}

export function decodeFindCoordinatorRequestV1(r: Reader): FindCoordinatorRequestV1 {
  return { key: r.string(), keyType: r.int8() };
}

export function encodeFindCoordinatorRequestV1(w: Writer, req: FindCoordinatorRequestV1): Writer {
  return w.string(req.key).int8(req.keyType);
}
