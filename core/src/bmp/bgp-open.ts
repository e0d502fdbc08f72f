import { fail } from '../bgp/decode-error.js';
import { BGP_OPEN, frameBgpMessage } from '../bgp/message.js';
import { IpAddress } from '../model/address.js';

export const CAPABILITY_MULTIPROTOCOL = 1;
export const CAPABILITY_FOUR_OCTET_AS = 65;
export const CAPABILITY_ADD_PATH = 69;

/** ADD-PATH send/receive values (RFC 7911 4). */
export const ADD_PATH_RECEIVE = 1;
export const ADD_PATH_SEND = 2;
export const ADD_PATH_BOTH = 3;

export interface BgpCapabilityValue {
  code: number;
  /** A view into the message bytes. */
  value: Uint8Array;
}

export interface AddPathFamily {
  afi: number;
  safi: number;
  /** 1 receive, 2 send, 3 both. */
  sendReceive: number;
}

/** What a Peer Up's OPEN message says, enough to read the routes that follow. */
export interface BgpOpenInfo {
  version: number;
  /** The 2-byte My Autonomous System field (AS_TRANS 23456 for 4-byte speakers with a big ASN). */
  myAs: number;
  holdTime: number;
  bgpId: IpAddress;
  /** Every capability, in wire order (from every capabilities parameter). */
  capabilities: BgpCapabilityValue[];
  /** The 4-octet AS number capability's ASN, or null without the capability. */
  fourOctetAsn: number | null;
  /** The speaker's ASN: the 4-octet capability's when present, else My Autonomous System. */
  asn: number;
  /** Multiprotocol capabilities (AFI, SAFI). */
  multiprotocol: { afi: number; safi: number }[];
  addPath: AddPathFamily[];
}

/**
 * Decodes a whole OPEN message (19-byte header included) at `off` and returns it with the offset
 * just past it. Optional parameters may use the RFC 9072 extended length; parameters other than
 * capabilities (type 2) are skipped.
 */
export function decodeBgpOpen(
  buf: Uint8Array,
  off: number,
  end: number,
): { open: BgpOpenInfo; next: number } {
  const frame = frameBgpMessage(buf, off, end);
  if (frame.type !== BGP_OPEN) fail(`expected a BGP OPEN, found message type ${frame.type}`);
  const b = frame.bodyStart;
  const bodyEnd = frame.bodyEnd;
  if (b + 10 > bodyEnd) fail('BGP OPEN shorter than its fixed part');
  const version = buf[b];
  const myAs = (buf[b + 1] << 8) | buf[b + 2];
  const holdTime = (buf[b + 3] << 8) | buf[b + 4];
  const bgpId = IpAddress.fromBytes(buf, b + 5, 4);
  let paramsLen = buf[b + 9];
  let p = b + 10;
  let extended = false;
  // RFC 9072: a length byte of 255 and a first parameter type of 255 announce 2-byte lengths.
  if (paramsLen === 255 && p < bodyEnd && buf[p] === 255) {
    if (p + 3 > bodyEnd) fail('BGP OPEN extended parameters length truncated');
    paramsLen = (buf[p + 1] << 8) | buf[p + 2];
    p += 3;
    extended = true;
  }
  const paramsEnd = p + paramsLen;
  if (paramsEnd > bodyEnd) fail(`BGP OPEN optional parameters (${paramsLen} bytes) run past the message`);
  const capabilities: BgpCapabilityValue[] = [];
  while (p < paramsEnd) {
    const head = extended ? 3 : 2;
    if (p + head > paramsEnd) fail('BGP OPEN optional parameter header truncated');
    const type = buf[p];
    const len = extended ? (buf[p + 1] << 8) | buf[p + 2] : buf[p + 1];
    p += head;
    if (p + len > paramsEnd) fail(`BGP OPEN optional parameter ${type} runs past the parameters`);
    if (type === 2) {
      let c = p;
      const capEnd = p + len;
      while (c < capEnd) {
        if (c + 2 > capEnd) fail('BGP OPEN capability header truncated');
        const code = buf[c];
        const capLen = buf[c + 1];
        c += 2;
        if (c + capLen > capEnd) fail(`BGP OPEN capability ${code} runs past its parameter`);
        capabilities.push({ code, value: buf.subarray(c, c + capLen) });
        c += capLen;
      }
    }
    p += len;
  }
  let fourOctetAsn: number | null = null;
  const multiprotocol: { afi: number; safi: number }[] = [];
  const addPath: AddPathFamily[] = [];
  for (const cap of capabilities) {
    const v = cap.value;
    if (cap.code === CAPABILITY_FOUR_OCTET_AS && v.length === 4 && fourOctetAsn === null) {
      fourOctetAsn = ((v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3]) >>> 0;
    } else if (cap.code === CAPABILITY_MULTIPROTOCOL && v.length === 4) {
      multiprotocol.push({ afi: (v[0] << 8) | v[1], safi: v[3] });
    } else if (cap.code === CAPABILITY_ADD_PATH) {
      for (let i = 0; i + 4 <= v.length; i += 4) {
        addPath.push({ afi: (v[i] << 8) | v[i + 1], safi: v[i + 2], sendReceive: v[i + 3] });
      }
    }
  }
  return {
    open: {
      version,
      myAs,
      holdTime,
      bgpId,
      capabilities,
      fourOctetAsn,
      asn: fourOctetAsn ?? myAs,
      multiprotocol,
      addPath,
    },
    next: frame.bodyEnd,
  };
}

/** RFC 6793: 4-byte ASNs on the session only when both speakers sent the capability. */
export function negotiatedFourOctetAs(a: BgpOpenInfo, b: BgpOpenInfo): boolean {
  return a.fourOctetAsn !== null && b.fourOctetAsn !== null;
}

/**
 * The (AFI, SAFI) pairs for which `sender` may send path ids to `receiver` (RFC 7911 5): the sender
 * said send or both, the receiver receive or both.
 */
export function negotiatedAddPath(
  sender: BgpOpenInfo,
  receiver: BgpOpenInfo,
): { afi: number; safi: number }[] {
  const out: { afi: number; safi: number }[] = [];
  for (const s of sender.addPath) {
    if ((s.sendReceive & ADD_PATH_SEND) === 0) continue;
    const r = receiver.addPath.find((x) => x.afi === s.afi && x.safi === s.safi);
    if (r && (r.sendReceive & ADD_PATH_RECEIVE) !== 0) out.push({ afi: s.afi, safi: s.safi });
  }
  return out;
}
