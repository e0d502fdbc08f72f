import type { ApiHandler } from '../broker-context.js';
import { ApiKey } from '../protocol/api-keys.js';
import { handleCreateTopics } from './create-topics.js';
import { handleFetch } from './fetch.js';
import { handleFindCoordinator } from './find-coordinator.js';
import {
  handleHeartbeat,
  handleJoinGroup,
  handleLeaveGroup,
  handleOffsetCommit,
  handleOffsetFetch,
  handleSyncGroup,
} from './groups.js';
import { handleInitProducerId } from './init-producer-id.js';
import { handleListOffsets } from './list-offsets.js';
import { handleMetadata } from './metadata.js';
import { handleProduce } from './produce.js';

/** Handlers by api key (ApiVersions is answered by the connection itself, before the header is parsed). */
export const HANDLERS: ReadonlyMap<number, ApiHandler> = new Map<number, ApiHandler>([
  [ApiKey.Produce, handleProduce],
  [ApiKey.Fetch, handleFetch],
  [ApiKey.ListOffsets, handleListOffsets],
  [ApiKey.Metadata, handleMetadata],
  [ApiKey.OffsetCommit, handleOffsetCommit],
  [ApiKey.OffsetFetch, handleOffsetFetch],
  [ApiKey.FindCoordinator, handleFindCoordinator],
  [ApiKey.JoinGroup, handleJoinGroup],
  [ApiKey.Heartbeat, handleHeartbeat],
  [ApiKey.LeaveGroup, handleLeaveGroup],
  [ApiKey.SyncGroup, handleSyncGroup],
  [ApiKey.CreateTopics, handleCreateTopics],
  [ApiKey.InitProducerId, handleInitProducerId],
]);
