import { BGP_KEEPALIVE, BGP_NOTIFICATION, BGP_OPEN, BGP_UPDATE } from '../bgp/message.js';
import type { IpAddress } from '../model/address.js';
import type { PathAttributes } from '../model/path-attributes.js';
import type { Prefix } from '../model/prefix.js';
import { ByteWriter } from './byte-writer.js';
import { checkFamily, writeNlri } from './nlri.js';
import { AS_TRANS, type MpReachNlri, type MpUnreachNlri, writePathAttributes } from './path-attributes.js';

const HEADER_SIZE = 19;
/** RFC 8654 extended messages; plain BGP stops at 4096, which real dumps do exceed. */
const MAX_MESSAGE_SIZE = 0xffff;

/** A whole BGP message: 16-byte all-ones marker, length, type, body (RFC 4271 4.1). */
export function encodeBgpMessage(type: number, body: Uint8Array): Uint8Array {
  const length = HEADER_SIZE + body.length;
  if (length > MAX_MESSAGE_SIZE) throw new RangeError(`BGP message of ${length} bytes`);
  const w = new ByteWriter(length);
  for (let i = 0; i < 16; i++) w.u8(0xff);
  w.u16(length).u8(type).bytes(body);
  return w.toBytes();
}

export interface BgpUpdate {
  /** IPv4 prefixes go into the withdrawn routes field, IPv6 ones into MP_UNREACH_NLRI. */
  withdrawn?: readonly Prefix[];
  /** ADD-PATH path ids (RFC 7911), one per withdrawn prefix. */
  withdrawnPathIds?: readonly number[] | null;
  /**
   * IPv4 prefixes go into the NLRI field, IPv6 ones into MP_REACH_NLRI. `attributes.mpNextHop` (and
   * the link-local one) exist on the wire only inside MP_REACH, so they are written only when some
   * prefix goes through it.
   */
  announced?: readonly Prefix[];
  announcedPathIds?: readonly number[] | null;
  attributes?: PathAttributes | null;
  /** 4-byte ASNs in AS_PATH and AGGREGATOR (the session negotiated them). */
  as4: boolean;
  /** Multicast NLRI (SAFI 2): every prefix, IPv4 too, goes through MP_REACH / MP_UNREACH. */
  multicast?: boolean;
  /** IPv4 unicast NLRI through MP_REACH / MP_UNREACH instead of the classic fields, as some speakers send them. */
  ipv4ViaMp?: boolean;
}

/**
 * The body of an UPDATE (RFC 4271 4.3, RFC 4760). An UPDATE holds one
 * MP_REACH and one MP_UNREACH, so the prefixes that go through them must be
 * of one address family each; mixing throws.
 */
export function encodeUpdateBody(update: BgpUpdate): Uint8Array {
  const withdrawn = update.withdrawn ?? [];
  const announced = update.announced ?? [];
  const viaMp = (p: Prefix) => p.family === 6 || update.multicast === true || update.ipv4ViaMp === true;
  const safi = update.multicast ? 2 : 1;
  const w4 = pick(withdrawn, update.withdrawnPathIds, (p) => !viaMp(p));
  const wMp = pick(withdrawn, update.withdrawnPathIds, viaMp);
  const a4 = pick(announced, update.announcedPathIds, (p) => !viaMp(p));
  const aMp = pick(announced, update.announcedPathIds, viaMp);
  const attrs = update.attributes ?? null;

  let mpUnreach: MpUnreachNlri | null = null;
  if (wMp.prefixes.length > 0) {
    const family = wMp.prefixes[0].family;
    checkFamily(wMp.prefixes, family, 'MP_UNREACH_NLRI');
    mpUnreach = { afi: family === 4 ? 1 : 2, safi, prefixes: wMp.prefixes, pathIds: wMp.pathIds };
  }
  let mpReach: MpReachNlri | null = null;
  if (aMp.prefixes.length > 0) {
    const family = aMp.prefixes[0].family;
    checkFamily(aMp.prefixes, family, 'MP_REACH_NLRI');
    mpReach = {
      afi: family === 4 ? 1 : 2,
      safi,
      nextHop: attrs?.mpNextHop ?? null,
      nextHopLinkLocal: attrs?.mpNextHopLinkLocal ?? null,
      prefixes: aMp.prefixes,
      pathIds: aMp.pathIds,
    };
  }

  const w = new ByteWriter();
  const withdrawnAt = w.length;
  w.u16(0);
  writeNlri(w, w4.prefixes, w4.pathIds);
  w.patchU16(withdrawnAt, w.length - withdrawnAt - 2);
  const attrsAt = w.length;
  w.u16(0);
  writePathAttributes(w, attrs, { as4: update.as4, mpReach, mpUnreach });
  w.patchU16(attrsAt, w.length - attrsAt - 2);
  writeNlri(w, a4.prefixes, a4.pathIds);
  return w.toBytes();
}

export function encodeUpdateMessage(update: BgpUpdate): Uint8Array {
  return encodeBgpMessage(BGP_UPDATE, encodeUpdateBody(update));
}

function pick(
  prefixes: readonly Prefix[],
  pathIds: readonly number[] | null | undefined,
  keep: (p: Prefix) => boolean,
): { prefixes: Prefix[]; pathIds: number[] | null } {
  if (pathIds && pathIds.length !== prefixes.length) {
    throw new RangeError(`${pathIds.length} path ids for ${prefixes.length} prefixes`);
  }
  const out: Prefix[] = [];
  const ids: number[] | null = pathIds ? [] : null;
  for (let i = 0; i < prefixes.length; i++) {
    if (!keep(prefixes[i])) continue;
    out.push(prefixes[i]);
    if (ids && pathIds) ids.push(pathIds[i]);
  }
  return { prefixes: out, pathIds: ids };
}

/** A capability of an OPEN message (RFC 5492). */
export interface BgpCapability {
  code: number;
  value: Uint8Array;
}

export interface BgpOpen {
  /** The speaker's ASN; above 65535 the 2-byte field says AS_TRANS and the real one belongs in a capability. */
  asn: number;
  holdTime?: number;
  bgpId: IpAddress;
  capabilities?: readonly BgpCapability[];
}

/** OPEN (RFC 4271 4.2), capabilities in one optional parameter of type 2. */
export function encodeOpenMessage(open: BgpOpen): Uint8Array {
  const w = new ByteWriter();
  w.u8(4)
    .u16(open.asn > 0xffff ? AS_TRANS : open.asn)
    .u16(open.holdTime ?? 180)
    .address(open.bgpId);
  const caps = open.capabilities ?? [];
  if (caps.length === 0) {
    w.u8(0);
  } else {
    const capBytes = new ByteWriter();
    for (const c of caps) capBytes.u8(c.code).u8(c.value.length).bytes(c.value);
    const param = capBytes.toBytes();
    w.u8(param.length + 2)
      .u8(2)
      .u8(param.length)
      .bytes(param);
  }
  return encodeBgpMessage(BGP_OPEN, w.toBytes());
}

/** Multiprotocol extensions capability (RFC 4760). */
export function multiprotocolCapability(afi: number, safi: number): BgpCapability {
  return { code: 1, value: new ByteWriter(4).u16(afi).u8(0).u8(safi).toBytes() };
}

/** Four-octet AS number capability (RFC 6793). */
export function fourOctetAsCapability(asn: number): BgpCapability {
  return { code: 65, value: new ByteWriter(4).u32(asn).toBytes() };
}

/** ADD-PATH capability (RFC 7911); sendReceive 1 receive, 2 send, 3 both. */
export function addPathCapability(afi: number, safi: number, sendReceive: 1 | 2 | 3): BgpCapability {
  return { code: 69, value: new ByteWriter(4).u16(afi).u8(safi).u8(sendReceive).toBytes() };
}

export function encodeKeepaliveMessage(): Uint8Array {
  return encodeBgpMessage(BGP_KEEPALIVE, new Uint8Array(0));
}

export interface BgpNotification {
  code: number;
  subcode: number;
  data?: Uint8Array;
}

/** NOTIFICATION (RFC 4271 4.5). */
export function encodeNotificationMessage(n: BgpNotification): Uint8Array {
  const w = new ByteWriter();
  w.u8(n.code)
    .u8(n.subcode)
    .bytes(n.data ?? new Uint8Array(0));
  return encodeBgpMessage(BGP_NOTIFICATION, w.toBytes());
}
