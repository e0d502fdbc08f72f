import { decodePathAttributes } from '../bgp/attributes/path-attributes.js';
import { readU16, readU32 } from '../bgp/attributes/u32.js';
import { fail } from '../bgp/decode-error.js';
import type { DecodeOutput } from '../bgp/decode-output.js';
import { IpAddress } from '../model/address.js';
import { Elem } from '../model/elem.js';
import { Prefix } from '../model/prefix.js';

/**
 * TABLE_DUMP (RFC 6396 4.2): one RIB entry per record, 2-byte ASNs, the
 * subtype is the AFI. Gives one R elem.
 */
export function decodeTableDump(
  buf: Uint8Array,
  off: number,
  end: number,
  subtype: number,
  timeSec: number,
  out: DecodeOutput,
): void {
  if (subtype !== 1 && subtype !== 2) fail(`TABLE_DUMP subtype ${subtype} is not an AFI`);
  const family = subtype === 1 ? 4 : 6;
  const addrLen = family === 4 ? 4 : 16;
  // view(2) seq(2) prefix plen(1) status(1) originated(4) peer-ip peer-as(2) attr-len(2)
  const fixed = 4 + addrLen + 2 + 4 + addrLen + 2 + 2;
  if (off + fixed > end) fail('TABLE_DUMP entry truncated');
  let p = off + 4;
  const address = IpAddress.fromBytes(buf, p, family);
  p += addrLen;
  const length = buf[p];
  if (length > addrLen * 8) fail(`TABLE_DUMP prefix length ${length}`);
  p += 2;
  const origTime = readU32(buf, p);
  p += 4;
  const peerAddress = IpAddress.fromBytes(buf, p, family);
  p += addrLen;
  const peerAsn = readU16(buf, p);
  if (!out.wantsPeer(peerAsn)) return;
  const attrLen = readU16(buf, p + 2);
  p += 4;
  if (p + attrLen > end) fail('TABLE_DUMP attributes run past the record');
  const { attributes } = decodePathAttributes(buf, p, p + attrLen, {
    asSize: 2,
    addPath: 'no',
    ribAfi: subtype,
  });
  const nextHop = family === 4 ? attributes.nextHop : (attributes.mpNextHop ?? attributes.nextHop);
  const prefix = new Prefix(address.masked(length), length);
  out.elems.push(
    new Elem('R', timeSec, 0, peerAddress, peerAsn, prefix, null, nextHop, attributes, 0, 0, origTime),
  );
}
