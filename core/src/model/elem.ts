import type { IpAddress } from './address.js';
import { AsPath, segmentText } from './as-path.js';
import type { PathAttributes } from './path-attributes.js';
import type { Prefix } from './prefix.js';
import type { BgpRecord } from './record.js';

/** R: RIB entry, A: announcement, W: withdrawal, S: peer state change. */
export type ElemType = 'R' | 'A' | 'W' | 'S';

/** BGP FSM states as BGPStream numbers and prints them. */
export const PEER_STATES = [
  '',
  'IDLE',
  'CONNECT',
  'ACTIVE',
  'OPENSENT',
  'OPENCONFIRM',
  'ESTABLISHED',
  'CLEARING',
  'DELETED',
] as const;

export function peerStateName(state: number): string {
  return PEER_STATES[state] ?? '';
}

/**
 * One routing event: what one peer said about one prefix (R, A, W) or about
 * its session (S). Attributes are shared with the other elems of the same
 * message; text is rendered only on request.
 */
export class Elem {
  /** The record this elem came from; set by `BGPStream` when it hands elems out one by one. */
  record: BgpRecord | null = null;

  constructor(
    readonly type: ElemType,
    readonly timeSec: number,
    readonly timeUsec: number,
    /** null only for old Quagga state changes that carry no address. */
    readonly peerAddress: IpAddress | null,
    readonly peerAsn: number,
    /** R, A, W. */
    readonly prefix: Prefix | null,
    /** ADD-PATH path identifier (RFC 7911 / RFC 8050), null when the source had none. */
    readonly pathId: number | null,
    /** R, A: NEXT_HOP for IPv4 NLRI, the MP_REACH next hop otherwise. */
    readonly nextHop: IpAddress | null,
    /** R, A. */
    readonly attributes: PathAttributes | null,
    /** S: BGP FSM codes as the source wrote them. */
    readonly oldState: number,
    readonly newState: number,
    /** TABLE_DUMP/TABLE_DUMP_V2 originated time; 0 elsewhere. */
    readonly origTimeSec: number,
  ) {}

  get asPath(): AsPath {
    return this.attributes?.asPath ?? AsPath.EMPTY;
  }

  /** The last AS path segment as text (may be a set such as `{1,2}`), empty without a path. */
  get originAsnText(): string {
    const seg = this.attributes?.asPath.originSegment;
    return seg ? segmentText(seg) : '';
  }

  /** The origin ASN when the path ends in a plain ASN. */
  get originAsn(): number | undefined {
    return this.attributes?.asPath.originAsn;
  }

  /** pybgpstream's `elem.fields`. */
  get fields(): Record<string, string | string[]> {
    switch (this.type) {
      case 'R':
      case 'A':
        return {
          'next-hop': this.nextHop?.toString() ?? '',
          'as-path': this.asPath.toString(),
          communities: this.attributes?.communitiesString().split(' ').filter(Boolean) ?? [],
          prefix: this.prefix?.toString() ?? '',
        };
      case 'W':
        return { prefix: this.prefix?.toString() ?? '' };
      default:
        return { 'old-state': peerStateName(this.oldState), 'new-state': peerStateName(this.newState) };
    }
  }
}
