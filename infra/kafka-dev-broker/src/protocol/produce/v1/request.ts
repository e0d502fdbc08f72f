/** Produce Request (Version: 1): the same layout as version 0. */
export {
  decodeProduceRequestV0 as decodeProduceRequestV1,
  encodeProduceRequestV0 as encodeProduceRequestV1,
  type ProduceRequestV0 as ProduceRequestV1,
} from '../v0/request.js';
