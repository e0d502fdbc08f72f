import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/** InitProducerId Request (Version: 0) => transactional_id NULLABLE_STRING, transaction_timeout_ms INT32 */
export interface InitProducerIdRequestV0 {
  transactionalId: string | null;
  transactionTimeoutMs: number;
}

export function decodeInitProducerIdRequestV0(r: Reader): InitProducerIdRequestV0 {
  return { transactionalId: r.nullableString(), transactionTimeoutMs: r.int32() };
}

export function encodeInitProducerIdRequestV0(w: Writer, req: InitProducerIdRequestV0): Writer {
  return w.nullableString(req.transactionalId).int32(req.transactionTimeoutMs);
}
