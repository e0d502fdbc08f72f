import { isFlexibleVersion } from './api-keys.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/**
 * Request header v1 (non-flexible versions) or v2 (flexible versions: v1 plus a TAG_BUFFER). In both,
 * `client_id` is a classic INT16-length NULLABLE_STRING.
 */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/** Reads api_key, api_version and correlation_id: enough to answer (or refuse) any request. */
export function decodeRequestHeaderPrefix(r: Reader): Omit<RequestHeader, 'clientId'> {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  return { apiKey, apiVersion, correlationId };
}

/** Reads the full header; the reader is left at the start of the body. */
export function decodeRequestHeader(r: Reader): RequestHeader {
  const prefix = decodeRequestHeaderPrefix(r);
  const clientId = r.nullableString();
  if (isFlexibleVersion(prefix.apiKey, prefix.apiVersion)) r.tagBuffer();
  return { ...prefix, clientId };
}

export function encodeRequestHeader(w: Writer, h: RequestHeader): Writer {
  w.int16(h.apiKey).int16(h.apiVersion).int32(h.correlationId).nullableString(h.clientId);
  if (isFlexibleVersion(h.apiKey, h.apiVersion)) w.emptyTagBuffer();
  return w;
}
