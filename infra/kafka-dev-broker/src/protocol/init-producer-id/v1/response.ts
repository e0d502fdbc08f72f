/** InitProducerId Response (Version: 1): the same layout as version 0. */
export {
  decodeInitProducerIdResponseV0 as decodeInitProducerIdResponseV1,
  encodeInitProducerIdResponseV0 as encodeInitProducerIdResponseV1,
  type InitProducerIdResponseV0 as InitProducerIdResponseV1,
} from '../v0/response.js';
