import type { ApiHandler } from '../broker-context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { decodeHeartbeatRequestV1 } from '../protocol/heartbeat/v1/request.js';
import { encodeHeartbeatResponseV1 } from '../protocol/heartbeat/v1/response.js';
import { decodeJoinGroupRequestV2 } from '../protocol/join-group/v2/request.js';
import { encodeJoinGroupResponseV2 } from '../protocol/join-group/v2/response.js';
import { decodeLeaveGroupRequestV1 } from '../protocol/leave-group/v1/request.js';
import { encodeLeaveGroupResponseV1 } from '../protocol/leave-group/v1/response.js';
import { decodeOffsetCommitRequestV3 } from '../protocol/offset-commit/v3/request.js';
import { encodeOffsetCommitResponseV3 } from '../protocol/offset-commit/v3/response.js';
import { decodeOffsetFetchRequestV3 } from '../protocol/offset-fetch/v3/request.js';
import { encodeOffsetFetchResponseV3 } from '../protocol/offset-fetch/v3/response.js';
import { decodeSyncGroupRequestV1 } from '../protocol/sync-group/v1/request.js';
import { encodeSyncGroupResponseV1 } from '../protocol/sync-group/v1/response.js';
import { Writer } from '../protocol/writer.js';

/** JoinGroup v2: parked until the join phase completes (see GroupCoordinator). */
export const handleJoinGroup: ApiHandler = async (ctx, { header, body }) => {
  const req = decodeJoinGroupRequestV2(body);
  const res = await ctx.groups.joinGroup(req, header.clientId);
  if (ctx.isStopping()) return null;
  return encodeJoinGroupResponseV2(new Writer(256), res);
};

/** SyncGroup v1: followers are parked until the leader's assignments arrive. */
export const handleSyncGroup: ApiHandler = async (ctx, { body }) => {
  const req = decodeSyncGroupRequestV1(body);
  const res = await ctx.groups.syncGroup(req);
  if (ctx.isStopping()) return null;
  return encodeSyncGroupResponseV1(new Writer(128), res);
};

export const handleHeartbeat: ApiHandler = (ctx, { body }) => {
  const errorCode = ctx.groups.heartbeat(decodeHeartbeatRequestV1(body));
  return encodeHeartbeatResponseV1(new Writer(8), { throttleTimeMs: 0, errorCode });
};

export const handleLeaveGroup: ApiHandler = (ctx, { body }) => {
  const errorCode = ctx.groups.leaveGroup(decodeLeaveGroupRequestV1(body));
  return encodeLeaveGroupResponseV1(new Writer(8), { throttleTimeMs: 0, errorCode });
};

export const handleOffsetCommit: ApiHandler = (ctx, { body }) => {
  const topics = ctx.groups.commitOffsets(decodeOffsetCommitRequestV3(body));
  return encodeOffsetCommitResponseV3(new Writer(128), { throttleTimeMs: 0, topics });
};

export const handleOffsetFetch: ApiHandler = (ctx, { body }) => {
  const topics = ctx.groups.fetchOffsets(decodeOffsetFetchRequestV3(body));
  return encodeOffsetFetchResponseV3(new Writer(128), {
    throttleTimeMs: 0,
    topics,
    errorCode: ErrorCode.NONE,
  });
};
