/** ApiVersions Request (Version: 2) => (empty body). kafkajs sends this version first. */
export {
  type ApiVersionsRequestV0 as ApiVersionsRequestV2,
  decodeApiVersionsRequestV0 as decodeApiVersionsRequestV2,
  encodeApiVersionsRequestV0 as encodeApiVersionsRequestV2,
} from '../v0/request.js';
