/** ApiVersions Request (Version: 1) => (empty body) */
export {
  type ApiVersionsRequestV0 as ApiVersionsRequestV1,
  decodeApiVersionsRequestV0 as decodeApiVersionsRequestV1,
  encodeApiVersionsRequestV0 as encodeApiVersionsRequestV1,
} from '../v0/request.js';
