import type { ApiHandler } from '../broker-context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeFindCoordinatorRequestV0 } from '../protocol/find-coordinator/v0/request.js';
import { encodeFindCoordinatorResponseV0 } from '../protocol/find-coordinator/v0/response.js';
import { decodeFindCoordinatorRequestV1 } from '../protocol/find-coordinator/v1/request.js';
import { encodeFindCoordinatorResponseV1 } from '../protocol/find-coordinator/v1/response.js';
import { Writer } from '../protocol/writer.js';

const KEY_TYPE_GROUP = 0;

/**
 * FindCoordinator v0–v2: this broker coordinates every group. Transaction coordinators (key_type 1) are not
 * available.
 */
export const handleFindCoordinator: ApiHandler = (ctx, { header, body }) => {
  const w = new Writer(64);
  const { nodeId } = ctx.settings;
  const { host, port } = ctx.advertised;
  if (header.apiVersion === 0) {
    const req = decodeFindCoordinatorRequestV0(body);
    if (req.key === '')
      return encodeFindCoordinatorResponseV0(w, {
        errorCode: ErrorCode.INVALID_GROUP_ID,
        nodeId: -1,
        host: '',
        port: -1,
      });
    return encodeFindCoordinatorResponseV0(w, { errorCode: ErrorCode.NONE, nodeId, host, port });
  }
  const req = decodeFindCoordinatorRequestV1(body);
  const fail = (errorCode: number, errorMessage: string) =>
    encodeFindCoordinatorResponseV1(w, {
      throttleTimeMs: 0,
      errorCode,
      errorMessage,
      nodeId: -1,
      host: '',
      port: -1,
    });
  if (req.keyType !== KEY_TYPE_GROUP) {
    return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'transactions are not supported by kafka-dev-broker');
  }
  if (req.key === '') return fail(ErrorCode.INVALID_GROUP_ID, 'empty group id');
  return encodeFindCoordinatorResponseV1(w, {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    nodeId,
    host,
    port,
  });
};
