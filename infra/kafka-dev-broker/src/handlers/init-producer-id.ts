import type { ApiHandler } from '../broker-context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeInitProducerIdRequestV0 } from '../protocol/init-producer-id/v0/request.js';
import { encodeInitProducerIdResponseV0 } from '../protocol/init-producer-id/v0/response.js';
import { Writer } from '../protocol/writer.js';

/**
 * InitProducerId v0/v1 (identical layouts): a fresh producer id with epoch 0 for idempotent producers.
 * Transactional ids are not supported (TRANSACTIONAL_ID_AUTHORIZATION_FAILED).
 */
export const handleInitProducerId: ApiHandler = (ctx, { body }) => {
  const req = decodeInitProducerIdRequestV0(body);
  const w = new Writer(32);
  if (req.transactionalId !== null) {
    return encodeInitProducerIdResponseV0(w, {
      throttleTimeMs: 0,
      errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
      producerId: -1,
      producerEpoch: -1,
    });
  }
  const producerId = ctx.nextProducerId();
  ctx.log(`producer id ${producerId} assigned`);
  return encodeInitProducerIdResponseV0(w, {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    producerId,
    producerEpoch: 0,
  });
};
