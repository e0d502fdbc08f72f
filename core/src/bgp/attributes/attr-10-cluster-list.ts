import { IpAddress } from '../../model/address.js';
import type { PathAttributes } from '../../model/path-attributes.js';

/** CLUSTER_LIST (RFC 4456): 4-byte cluster ids. */
export function decodeClusterList(buf: Uint8Array, off: number, len: number, attrs: PathAttributes): void {
  if (len % 4 !== 0) {
    attrs.addError(`CLUSTER_LIST malformed (length ${len})`);
    return;
  }
  const out: IpAddress[] = [];
  for (let p = off; p < off + len; p += 4) out.push(IpAddress.fromBytes(buf, p, 4));
  attrs.clusterList = out;
}
