/**
 * ApiVersions Request (Version: 0) => (empty body)
 * Versions 1 and 2 have the same empty body.
 */
// biome-ignore lint/complexity/noBannedTypes: the body is empty
export type ApiVersionsRequestV0 = {};

export function decodeApiVersionsRequestV0(): ApiVersionsRequestV0 {
  return {};
}

export function encodeApiVersionsRequestV0(): void {}
