import type { Reader } from '../../reader.js';
import type { Writer } from '../../writer.js';

/**
 * InitProducerId Response (Version: 0) =>
 *   throttle_time_ms INT32, error_code INT16, producer_id INT64, producer_epoch INT16
 */
export interface InitProducerIdResponseV0 {
  throttleTimeMs: number;
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}

export function encodeInitProducerIdResponseV0(w: Writer, res: InitProducerIdResponseV0): Writer {
  return w.int32(res.throttleTimeMs).int16(res.errorCode).int64(res.producerId).int16(res.producerEpoch);
}

export function decodeInitProducerIdResponseV0(r: Reader): InitProducerIdResponseV0 {
  return { throttleTimeMs: r.int32(), errorCode: r.int16(), producerId: r.int64(), producerEpoch: r.int16() };
}
