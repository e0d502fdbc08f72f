/** Kafka API keys this broker knows about. */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  ApiVersions: 18,
  CreateTopics: 19,
  InitProducerId: 22,
} as const;

export type ApiKeyName = keyof typeof ApiKey;

const NAMES = new Map<number, string>(Object.entries(ApiKey).map(([name, key]) => [key, name]));

/** "Metadata" for 3; "api 32" for keys this broker does not know. */
export function apiName(apiKey: number): string {
  return NAMES.get(apiKey) ?? `api ${apiKey}`;
}

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

/**
 * The advertised version table, in ascending api-key order: spec §2, with one change (Produce min 0).
 *
 * Every max is below the API's first flexible version, so apart from librdkafka's first ApiVersions v3
 * request nothing flexible is ever sent. FindCoordinator min 0 and InitProducerId min 0 are required by
 * librdkafka's feature detection (spec §2.1).
 *
 * Produce is 0..3, not the spec's 3..3: librdkafka 2.0.2 only compresses (gzip, snappy, lz4) when the
 * broker's Produce range overlaps v0..v0; with 3..3 it logs "Broker does not support compression type gzip:
 * not compressing batch" and sends every batch uncompressed (observed with kcat -z, msg debug). Both
 * clients still send Produce v3 (librdkafka: highest common version; kafkajs: min(7, broker max)). v0–v2
 * are implemented, with RecordBatch v2 payloads only.
 */
export const SUPPORTED_API_VERSIONS: readonly ApiVersionRange[] = [
  { apiKey: ApiKey.Produce, minVersion: 0, maxVersion: 3 },
  { apiKey: ApiKey.Fetch, minVersion: 4, maxVersion: 4 },
  { apiKey: ApiKey.ListOffsets, minVersion: 2, maxVersion: 2 },
  { apiKey: ApiKey.Metadata, minVersion: 4, maxVersion: 4 },
  { apiKey: ApiKey.OffsetCommit, minVersion: 3, maxVersion: 3 },
  { apiKey: ApiKey.OffsetFetch, minVersion: 3, maxVersion: 3 },
  { apiKey: ApiKey.FindCoordinator, minVersion: 0, maxVersion: 2 },
  { apiKey: ApiKey.JoinGroup, minVersion: 2, maxVersion: 2 },
  { apiKey: ApiKey.Heartbeat, minVersion: 1, maxVersion: 1 },
  { apiKey: ApiKey.LeaveGroup, minVersion: 1, maxVersion: 1 },
  { apiKey: ApiKey.SyncGroup, minVersion: 1, maxVersion: 1 },
  { apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 2 },
  { apiKey: ApiKey.CreateTopics, minVersion: 2, maxVersion: 2 },
  { apiKey: ApiKey.InitProducerId, minVersion: 0, maxVersion: 1 },
];

/**
 * First flexible version of each API (uses request header v2 / compact types from there on). Only matters
 * for parsing the header of a request; the broker never answers a flexible version except ApiVersions.
 */
export const FIRST_FLEXIBLE_VERSION: Readonly<Record<number, number>> = {
  [ApiKey.Produce]: 9,
  [ApiKey.Fetch]: 12,
  [ApiKey.ListOffsets]: 6,
  [ApiKey.Metadata]: 9,
  [ApiKey.OffsetCommit]: 8,
  [ApiKey.OffsetFetch]: 6,
  [ApiKey.FindCoordinator]: 3,
  [ApiKey.JoinGroup]: 6,
  [ApiKey.Heartbeat]: 4,
  [ApiKey.LeaveGroup]: 4,
  [ApiKey.SyncGroup]: 4,
  [ApiKey.ApiVersions]: 3,
  [ApiKey.CreateTopics]: 5,
  [ApiKey.InitProducerId]: 2,
};

export function isFlexibleVersion(apiKey: number, apiVersion: number): boolean {
  const first = FIRST_FLEXIBLE_VERSION[apiKey];
  return first !== undefined && apiVersion >= first;
}

export function findSupportedRange(apiKey: number): ApiVersionRange | undefined {
  return SUPPORTED_API_VERSIONS.find((r) => r.apiKey === apiKey);
}

export function isSupportedVersion(apiKey: number, apiVersion: number): boolean {
  const range = findSupportedRange(apiKey);
  return range !== undefined && apiVersion >= range.minVersion && apiVersion <= range.maxVersion;
}
