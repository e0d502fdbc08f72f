import type { PathAttributes } from '../../model/path-attributes.js';
import type { AddPathMode, NlriList } from '../nlri.js';

/** What an attribute decoder needs to know about where its bytes came from. */
export interface AttributeContext {
  /** ASN size of AS_PATH and AGGREGATOR: 2 for old BGP4MP/TABLE_DUMP, 4 for AS4 subtypes and TABLE_DUMP_V2. */
  asSize: 2 | 4;
  addPath: AddPathMode;
  /** Set for TABLE_DUMP_V2 RIB entries, whose MP_REACH_NLRI may be the abbreviated form (RFC 6396 4.3.4). */
  ribAfi: 0 | 1 | 2;
}

export interface MpReach {
  afi: number;
  safi: number;
  nlri: NlriList;
}

export interface MpUnreach {
  afi: number;
  safi: number;
  nlri: NlriList;
}

/** Everything the attribute block of one message holds. */
export interface DecodedAttributes {
  attributes: PathAttributes;
  mpReach: MpReach | null;
  mpUnreach: MpUnreach | null;
}

export const AFI_IPV4 = 1;
export const AFI_IPV6 = 2;
export const SAFI_UNICAST = 1;
export const SAFI_MULTICAST = 2;
