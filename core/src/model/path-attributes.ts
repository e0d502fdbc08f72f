import type { IpAddress } from './address.js';
import { AsPath } from './as-path.js';

export interface Aggregator {
  readonly asn: number;
  readonly address: IpAddress;
}

/** An attribute this decoder does not model, kept as it came. */
export interface RawAttribute {
  readonly flags: number;
  readonly type: number;
  readonly data: Uint8Array;
}

const NONE: readonly never[] = Object.freeze([]);

/** ORIGIN values (RFC 4271). */
export const ORIGIN_IGP = 0;
export const ORIGIN_EGP = 1;
export const ORIGIN_INCOMPLETE = 2;

/**
 * The path attributes of one UPDATE or RIB entry, shared by every elem they
 * describe: decoded once per message, rendered to text only when asked.
 */
export class PathAttributes {
  /** ORIGIN, or -1 when absent. */
  origin = -1;
  /** AS_PATH merged with AS4_PATH as RFC 6793 says. */
  asPath: AsPath = AsPath.EMPTY;
  /** NEXT_HOP (type 3). */
  nextHop: IpAddress | null = null;
  med: number | null = null;
  localPref: number | null = null;
  atomicAggregate = false;
  /** AGGREGATOR, or AS4_AGGREGATOR when only that one is present or AGGREGATOR holds AS_TRANS. */
  aggregator: Aggregator | null = null;
  // The lists below start as one shared empty array: most messages lack most of them, and an array
  // per message each would be garbage to collect. Decoders assign a new array; never push to these.
  /** Standard communities, each packed as `asn << 16 | value` (unsigned), in wire order. */
  communities: readonly number[] = NONE;
  /** Extended communities (RFC 4360), 8 bytes each, in wire order. */
  extendedCommunities: readonly Uint8Array[] = NONE;
  /** Large communities (RFC 8092), flattened triples (global, local1, local2). */
  largeCommunities: readonly number[] = NONE;
  originatorId: IpAddress | null = null;
  clusterList: readonly IpAddress[] = NONE;
  /** ONLY_TO_CUSTOMER (RFC 9234), the ASN it carries. */
  onlyToCustomer: number | null = null;
  /** MP_REACH_NLRI next hop (global address for IPv6) and the link-local one when sent. */
  mpNextHop: IpAddress | null = null;
  mpNextHopLinkLocal: IpAddress | null = null;
  unknown: readonly RawAttribute[] = NONE;
  /** Problems found while decoding, in the spirit of RFC 7606 (attribute discarded, treat-as-withdraw). */
  errors: string[] | null = null;

  private communitiesText: string | undefined;

  addError(message: string): void {
    if (this.errors === null) this.errors = [];
    this.errors.push(message);
  }

  /** `asn:value asn:value`, in wire order, duplicates kept. */
  communitiesString(): string {
    if (this.communitiesText === undefined) {
      let out = '';
      for (let i = 0; i < this.communities.length; i++) {
        const c = this.communities[i];
        if (i > 0) out += ' ';
        out += `${c >>> 16}:${c & 0xffff}`;
      }
      this.communitiesText = out;
    }
    return this.communitiesText;
  }

  /** `global:local1:local2 ...` */
  largeCommunitiesString(): string {
    const parts: string[] = [];
    const l = this.largeCommunities;
    for (let i = 0; i + 2 < l.length; i += 3) parts.push(`${l[i]}:${l[i + 1]}:${l[i + 2]}`);
    return parts.join(' ');
  }
}
