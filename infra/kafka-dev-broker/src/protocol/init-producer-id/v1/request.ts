/** InitProducerId Request (Version: 1): the same layout as version 0. Both clients send this version. */
export {
  decodeInitProducerIdRequestV0 as decodeInitProducerIdRequestV1,
  encodeInitProducerIdRequestV0 as encodeInitProducerIdRequestV1,
  type InitProducerIdRequestV0 as InitProducerIdRequestV1,
} from '../v0/request.js';
