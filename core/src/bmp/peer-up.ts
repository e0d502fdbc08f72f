import { fail } from '../bgp/decode-error.js';
import { IpAddress } from '../model/address.js';
import { type BgpOpenInfo, decodeBgpOpen } from './bgp-open.js';
import { type BmpTlv, readBmpTlvs, tlvText } from './bmp-header.js';
import type { BmpPerPeerHeader } from './per-peer-header.js';

/** Peer Up information TLV types (RFC 7854 4.4, RFC 9069 4.3). */
export const PEER_UP_INFO_STRING = 0;
export const PEER_UP_INFO_VRF_TABLE_NAME = 3;

export interface BmpInformation extends BmpTlv {
  /** The value as text, for the string types (0 string, 1 sysDescr, 2 sysName, 3 VRF/table name). */
  text: string | null;
}

export interface BmpPeerUpBody {
  /** The router's end of the session (IPv4 in the last 4 bytes unless the V flag is set). */
  localAddress: IpAddress;
  localPort: number;
  remotePort: number;
  /** The OPEN the monitored router sent to the peer. */
  sentOpen: BgpOpenInfo;
  /** The OPEN it received from the peer. */
  receivedOpen: BgpOpenInfo;
  information: BmpInformation[];
}

export function toInformation(tlvs: BmpTlv[], textTypes: (type: number) => boolean): BmpInformation[] {
  return tlvs.map((t) => ({
    type: t.type,
    value: t.value,
    text: textTypes(t.type) ? tlvText(t.value) : null,
  }));
}

/** The body of a Peer Up notification, from just after the per-peer header to `end` (RFC 7854 4.10). */
export function decodePeerUp(
  buf: Uint8Array,
  off: number,
  end: number,
  peer: BmpPerPeerHeader,
): BmpPeerUpBody {
  if (off + 20 > end) fail('BMP peer up: local address and ports truncated');
  const localAddress = peer.ipv6 ? IpAddress.fromBytes(buf, off, 6) : IpAddress.fromBytes(buf, off + 12, 4);
  const localPort = (buf[off + 16] << 8) | buf[off + 17];
  const remotePort = (buf[off + 18] << 8) | buf[off + 19];
  const sent = decodeBgpOpen(buf, off + 20, end);
  const received = decodeBgpOpen(buf, sent.next, end);
  const information = toInformation(readBmpTlvs(buf, received.next, end, 'BMP peer up'), (t) => t <= 3);
  return {
    localAddress,
    localPort,
    remotePort,
    sentOpen: sent.open,
    receivedOpen: received.open,
    information,
  };
}
