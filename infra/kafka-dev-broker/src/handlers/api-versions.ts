import { ApiKey, SUPPORTED_API_VERSIONS } from '../protocol/api-keys.js';
import { encodeApiVersionsResponseV0 } from '../protocol/api-versions/v0/response.js';
import { encodeApiVersionsResponseV1 } from '../protocol/api-versions/v1/response.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { Writer } from '../protocol/writer.js';

const MAX_VERSION = SUPPORTED_API_VERSIONS.find((r) => r.apiKey === ApiKey.ApiVersions)!.maxVersion;

/**
 * ApiVersions v0–v2, answered from the version and correlation id alone (the body is empty, and the spec
 * says to answer even if the rest cannot be parsed). A higher version — librdkafka's first request is v3 —
 * gets the v0 layout with UNSUPPORTED_VERSION and the full table, as Kafka does; librdkafka then retries
 * with v0. Never close the connection here.
 */
export function encodeApiVersionsAnswer(apiVersion: number): Writer {
  const w = new Writer(128);
  const apiKeys = [...SUPPORTED_API_VERSIONS];
  if (apiVersion > MAX_VERSION || apiVersion < 0) {
    return encodeApiVersionsResponseV0(w, { errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys });
  }
  if (apiVersion === 0) return encodeApiVersionsResponseV0(w, { errorCode: ErrorCode.NONE, apiKeys });
  return encodeApiVersionsResponseV1(w, { errorCode: ErrorCode.NONE, apiKeys, throttleTimeMs: 0 });
}
