import { fail } from './decode-error.js';

export const BGP_OPEN = 1;
export const BGP_UPDATE = 2;
export const BGP_NOTIFICATION = 3;
export const BGP_KEEPALIVE = 4;
export const BGP_ROUTE_REFRESH = 5;

const HEADER_SIZE = 19;

export interface BgpMessageFrame {
  type: number;
  /** The message body, after the 19-byte header. */
  bodyStart: number;
  bodyEnd: number;
}

/**
 * Frames a BGP message (RFC 4271 4.1). The marker is not checked: archives
 * hold messages whose marker a collector zeroed. The length may exceed 4096
 * (RFC 8654 extended messages); it must fit the bytes we have.
 */
export function frameBgpMessage(buf: Uint8Array, off: number, end: number): BgpMessageFrame {
  if (off + HEADER_SIZE > end) fail('BGP message header truncated');
  const length = (buf[off + 16] << 8) | buf[off + 17];
  const type = buf[off + 18];
  if (length < HEADER_SIZE) fail(`BGP message length ${length} is shorter than its header`);
  if (off + length > end) fail(`BGP message length ${length} runs past its MRT record`);
  if (type < BGP_OPEN || type > BGP_ROUTE_REFRESH) fail(`unknown BGP message type ${type}`);
  return { type, bodyStart: off + HEADER_SIZE, bodyEnd: off + length };
}
