import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/** FindCoordinator Request (Version: 0) => key STRING (the group id) */
export interface FindCoordinatorRequestV0 {
  key: string;
}

export function decodeFindCoordinatorRequestV0(r: Reader): FindCoordinatorRequestV0 {
  return { key: r.string() };
}

export function encodeFindCoordinatorRequestV0(w: Writer, req: FindCoordinatorRequestV0): Writer {
  return w.string(req.key);
}
