/** Produce Request (Version: 2): the same layout as version 0. */
export {
  decodeProduceRequestV0 as decodeProduceRequestV2,
  encodeProduceRequestV0 as encodeProduceRequestV2,
  type ProduceRequestV0 as ProduceRequestV2,
} from '../v0/request.js';
