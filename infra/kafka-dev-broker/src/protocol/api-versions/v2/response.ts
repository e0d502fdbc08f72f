/** ApiVersions Response (Version: 2): the same layout as version 1. */
export {
  type ApiVersionsResponseV1 as ApiVersionsResponseV2,
  decodeApiVersionsResponseV1 as decodeApiVersionsResponseV2,
  encodeApiVersionsResponseV1 as encodeApiVersionsResponseV2,
} from '../v1/response.js';
