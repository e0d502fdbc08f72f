/**
 * Produce Response (Version: 2): the same layout as version 3 —
 * [responses (index, error_code, base_offset, log_append_time_ms)] throttle_time_ms.
 */
export {
  decodeProduceResponseV3 as decodeProduceResponseV2,
  encodeProduceResponseV3 as encodeProduceResponseV2,
  type ProduceResponseV3 as ProduceResponseV2,
} from '../v3/response.js';
