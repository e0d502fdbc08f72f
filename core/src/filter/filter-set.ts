import type { AddressFamily } from '../model/address.js';
import type { Elem, ElemType } from '../model/elem.js';
import { Prefix } from '../model/prefix.js';
import type { BgpRecord, RecordType } from '../model/record.js';
import { type AsPathRegex, compileAsPathRegex } from './aspath-regex.js';
import {
  CommunityFilter,
  type CommunityPattern,
  communityPatternText,
  parseCommunityPattern,
} from './community-filter.js';
import { parseUnsignedDecimal } from './decimal.js';
import { FilterError } from './filter-error.js';
import { PrefixFilter, type PrefixFilterEntry } from './prefix-filter.js';

/** Filter names of `addFilter`: pybgpstream's, plus the explicit prefix specificities and the record-level ones. */
export type FilterType =
  | 'project'
  | 'collector'
  | 'router'
  | 'record-type'
  | 'resource-type'
  | 'peer-asn'
  | 'not-peer-asn'
  | 'origin-asn'
  | 'prefix'
  | 'prefix-exact'
  | 'prefix-more'
  | 'prefix-less'
  | 'prefix-any'
  | 'community'
  | 'aspath'
  | 'ipversion'
  | 'elemtype';

export const FILTER_TYPES: readonly FilterType[] = [
  'project',
  'collector',
  'router',
  'record-type',
  'resource-type',
  'peer-asn',
  'not-peer-asn',
  'origin-asn',
  'prefix',
  'prefix-exact',
  'prefix-more',
  'prefix-less',
  'prefix-any',
  'community',
  'aspath',
  'ipversion',
  'elemtype',
];

const RECORD_TYPES = new Map<string, RecordType>([
  ['ribs', 'rib'],
  ['updates', 'update'],
]);
const ELEM_TYPES = new Map<string, ElemType>([
  ['ribs', 'R'],
  ['announcements', 'A'],
  ['withdrawals', 'W'],
  ['peerstates', 'S'],
]);
const ELEM_TYPE_NAMES: Record<ElemType, string> = {
  R: 'ribs',
  A: 'announcements',
  W: 'withdrawals',
  S: 'peerstates',
};
/** Elem type → bit of the elemtype mask. */
const ELEM_BITS: Record<ElemType, number> = { R: 1, A: 2, W: 4, S: 8 };

const MAX_ASN = 0xffffffff;

/**
 * BGPStream's filters (spec 2): the sets the filter string and `addFilter`
 * fill, and the checks that use them.
 *
 * Same filter type: OR (values accumulate). Different types: AND. Exceptions,
 * as in the reference: every `aspath` expression must hold; `ipversion` keeps
 * only the last value given (so `ipv 4 6` means IPv6 only).
 *
 * Everything `matchElem` needs is compiled when a filter is added: Sets for
 * ASNs, one prefix trie per address family, RegExps, community Sets. The
 * per-elem check allocates nothing (the AS path text is cached by AsPath).
 */
export class FilterSet {
  private readonly projectSet = new Set<string>();
  private readonly collectorSet = new Set<string>();
  private readonly routerSet = new Set<string>();
  private readonly recordTypeSet = new Set<RecordType>();
  private readonly resourceTypeSet = new Set<'stream' | 'batch'>();
  private readonly peerAsnSet = new Set<number>();
  private readonly notPeerAsnSet = new Set<number>();
  private readonly originAsnSet = new Set<number>();
  private readonly prefixFilter = new PrefixFilter();
  private readonly communityFilter = new CommunityFilter();
  private readonly aspathList: AsPathRegex[] = [];
  /** 0: no ipversion filter. */
  private ipv: 0 | AddressFamily = 0;
  /** Bits of ELEM_BITS; 0: no elemtype filter. */
  private elemTypeMask = 0;

  get projects(): ReadonlySet<string> {
    return this.projectSet;
  }
  get collectors(): ReadonlySet<string> {
    return this.collectorSet;
  }
  get routers(): ReadonlySet<string> {
    return this.routerSet;
  }
  get recordTypes(): ReadonlySet<RecordType> {
    return this.recordTypeSet;
  }
  get resourceTypes(): ReadonlySet<'stream' | 'batch'> {
    return this.resourceTypeSet;
  }
  get peerAsns(): ReadonlySet<number> {
    return this.peerAsnSet;
  }
  get notPeerAsns(): ReadonlySet<number> {
    return this.notPeerAsnSet;
  }
  get originAsns(): ReadonlySet<number> {
    return this.originAsnSet;
  }
  /** Prefix filters in the order first added, one per distinct prefix, with the union of the specificities given. */
  get prefixes(): readonly PrefixFilterEntry[] {
    return this.prefixFilter.entries;
  }
  /** Community patterns (undefined side: `*`). */
  get communities(): readonly CommunityPattern[] {
    return this.communityFilter.patterns;
  }
  /** AS path expressions, all of which must hold. */
  get aspaths(): readonly AsPathRegex[] {
    return this.aspathList;
  }
  /** The ipversion filter (the last value given), undefined when none. */
  get ipVersion(): AddressFamily | undefined {
    return this.ipv === 0 ? undefined : this.ipv;
  }
  /** The elemtype filter; empty when none. */
  get elemTypes(): ReadonlySet<ElemType> {
    const out = new Set<ElemType>();
    for (const t of ['R', 'A', 'W', 'S'] as const) if (this.elemTypeMask & ELEM_BITS[t]) out.add(t);
    return out;
  }

  /** True when some elem-level filter is set (the stream skips elem checks otherwise). */
  get hasElemFilters(): boolean {
    return (
      this.elemTypeMask !== 0 ||
      this.peerAsnSet.size !== 0 ||
      this.notPeerAsnSet.size !== 0 ||
      this.originAsnSet.size !== 0 ||
      this.ipv !== 0 ||
      this.prefixFilter.size !== 0 ||
      this.aspathList.length !== 0 ||
      this.communityFilter.size !== 0
    );
  }

  /** True when no filter of any kind is set. */
  get isEmpty(): boolean {
    return (
      !this.hasElemFilters &&
      this.projectSet.size === 0 &&
      this.collectorSet.size === 0 &&
      this.routerSet.size === 0 &&
      this.recordTypeSet.size === 0 &&
      this.resourceTypeSet.size === 0
    );
  }

  /**
   * Adds one filter value under a pybgpstream/API name. Throws FilterError
   * naming the bad value; nothing is added then. `prefix` is the old-style
   * prefix filter, the same as `prefix-more`.
   */
  addFilter(type: FilterType | string, value: string): void {
    switch (type) {
      case 'project':
        this.projectSet.add(value);
        return;
      case 'collector':
        this.collectorSet.add(value);
        return;
      case 'router':
        this.routerSet.add(value);
        return;
      case 'record-type': {
        const t = RECORD_TYPES.get(value);
        if (t === undefined) {
          throw new FilterError(
            `record-type filter must be one of "ribs" or "updates", found '${value}'`,
            value,
          );
        }
        this.recordTypeSet.add(t);
        return;
      }
      case 'resource-type':
        if (value !== 'stream' && value !== 'batch') {
          throw new FilterError(
            `resource-type filter must be one of "stream" or "batch", found '${value}'`,
            value,
          );
        }
        this.resourceTypeSet.add(value);
        return;
      case 'peer-asn':
        this.peerAsnSet.add(parseAsn(value, type));
        return;
      case 'not-peer-asn':
        this.notPeerAsnSet.add(parseAsn(value, type));
        return;
      case 'origin-asn':
        this.originAsnSet.add(parseAsn(value, type));
        return;
      case 'prefix':
      case 'prefix-more':
        this.prefixFilter.add(parsePrefix(value, type), 'more');
        return;
      case 'prefix-exact':
        this.prefixFilter.add(parsePrefix(value, type), 'exact');
        return;
      case 'prefix-less':
        this.prefixFilter.add(parsePrefix(value, type), 'less');
        return;
      case 'prefix-any':
        this.prefixFilter.add(parsePrefix(value, type), 'any');
        return;
      case 'community':
        this.communityFilter.add(parseCommunityPattern(value));
        return;
      case 'aspath':
        this.aspathList.push(compileAsPathRegex(value));
        return;
      case 'ipversion':
        if (value !== '4' && value !== '6') throw new FilterError(`Unknown IP version '${value}'`, value);
        // Reference quirk, kept: one field, the last value wins.
        this.ipv = value === '4' ? 4 : 6;
        return;
      case 'elemtype': {
        const t = ELEM_TYPES.get(value);
        if (t === undefined) {
          throw new FilterError(
            `elemtype filter must be one of "ribs", "announcements", "withdrawals" or "peerstates", found '${value}'`,
            value,
          );
        }
        this.elemTypeMask |= ELEM_BITS[t];
        return;
      }
      default:
        throw new FilterError(`unknown filter type '${type}'`, type);
    }
  }

  /** Adds everything of `other` into this set (used to apply a parsed string atomically). */
  merge(other: FilterSet): void {
    for (const v of other.projectSet) this.projectSet.add(v);
    for (const v of other.collectorSet) this.collectorSet.add(v);
    for (const v of other.routerSet) this.routerSet.add(v);
    for (const v of other.recordTypeSet) this.recordTypeSet.add(v);
    for (const v of other.resourceTypeSet) this.resourceTypeSet.add(v);
    for (const v of other.peerAsnSet) this.peerAsnSet.add(v);
    for (const v of other.notPeerAsnSet) this.notPeerAsnSet.add(v);
    for (const v of other.originAsnSet) this.originAsnSet.add(v);
    this.prefixFilter.addAll(other.prefixFilter);
    this.communityFilter.addAll(other.communityFilter);
    this.aspathList.push(...other.aspathList);
    if (other.ipv !== 0) this.ipv = other.ipv;
    this.elemTypeMask |= other.elemTypeMask;
  }

  /** Cheap pre-check before decoding a peer's attributes: false when no elem of this peer can pass. */
  peerCanPass(peerAsn: number): boolean {
    if (this.peerAsnSet.size !== 0 && !this.peerAsnSet.has(peerAsn)) return false;
    return !this.notPeerAsnSet.has(peerAsn);
  }

  /**
   * The per-elem check in the reference order (spec 2.3): elemtype, peer,
   * not-peer, origin, ipversion, prefix, aspath, community. origin, aspath and
   * community reject withdrawals and peer states; ipversion and prefix reject
   * peer states.
   */
  matchElem(elem: Elem): boolean {
    const type = elem.type;
    if (this.elemTypeMask !== 0 && (this.elemTypeMask & ELEM_BITS[type]) === 0) return false;
    if (this.peerAsnSet.size !== 0 && !this.peerAsnSet.has(elem.peerAsn)) return false;
    if (this.notPeerAsnSet.size !== 0 && this.notPeerAsnSet.has(elem.peerAsn)) return false;
    const noRoute = type === 'W' || type === 'S';
    if (this.originAsnSet.size !== 0) {
      if (noRoute) return false;
      const origin = elem.attributes?.asPath.originAsn;
      if (origin === undefined || !this.originAsnSet.has(origin)) return false;
    }
    if (this.ipv !== 0) {
      if (type === 'S' || elem.prefix === null || elem.prefix.address.family !== this.ipv) return false;
    }
    if (this.prefixFilter.size !== 0) {
      if (type === 'S' || elem.prefix === null || !this.prefixFilter.matches(elem.prefix)) return false;
    }
    const aspaths = this.aspathList;
    if (aspaths.length !== 0) {
      if (noRoute) return false;
      const text = elem.attributes === null ? '' : elem.attributes.asPath.toString();
      for (let i = 0; i < aspaths.length; i++) {
        const a = aspaths[i];
        if (a.regex.test(text) === a.negated) return false;
      }
    }
    if (this.communityFilter.size !== 0) {
      if (noRoute || elem.attributes === null) return false;
      if (!this.communityFilter.matches(elem.attributes.communities)) return false;
    }
    return true;
  }

  /**
   * Record-level check for sources whose data interface cannot pre-filter:
   * project, collector, router and record type, each when set. The router
   * filter is applied to every record (MRT records have the router ''), where
   * the reference's MRT format ignores it.
   */
  matchRecord(record: BgpRecord): boolean {
    if (this.projectSet.size !== 0 && !this.projectSet.has(record.project)) return false;
    if (this.collectorSet.size !== 0 && !this.collectorSet.has(record.collector)) return false;
    if (this.routerSet.size !== 0 && !this.routerSet.has(record.router)) return false;
    if (this.recordTypeSet.size !== 0 && !this.recordTypeSet.has(record.type)) return false;
    return true;
  }

  /**
   * The filters as a filter string (re-parsable, except for the `not-peer`
   * pseudo-term, which the language lacks, and values holding a `"`), or
   * `(no filters)`.
   */
  toString(): string {
    const clauses: string[] = [];
    const list = (term: string, values: Iterable<string | number>) => {
      const v = [...values].map((x) => quote(String(x)));
      if (v.length !== 0) clauses.push(`${term} ${v.join(' ')}`);
    };
    list('project', this.projectSet);
    list('collector', this.collectorSet);
    list('router', this.routerSet);
    list(
      'type',
      [...this.recordTypeSet].map((t) => (t === 'rib' ? 'ribs' : 'updates')),
    );
    list('resourcetype', this.resourceTypeSet);
    list('peer', this.peerAsnSet);
    list('not-peer', this.notPeerAsnSet);
    list('origin', this.originAsnSet);
    const prefixes = this.prefixFilter.entries;
    if (prefixes.length !== 0) {
      clauses.push(`prefix ${prefixes.map((p) => `${p.specificity} ${p.prefix}`).join(' ')}`);
    }
    list('community', this.communityFilter.patterns.map(communityPatternText));
    for (const a of this.aspathList) clauses.push(`aspath ${quote(a.pattern, true)}`);
    if (this.ipv !== 0) clauses.push(`ipversion ${this.ipv}`);
    list(
      'elemtype',
      [...this.elemTypes].map((t) => ELEM_TYPE_NAMES[t]),
    );
    return clauses.length === 0 ? '(no filters)' : clauses.join(' and ');
  }
}

function parseAsn(value: string, type: string): number {
  const asn = value === '' ? undefined : parseUnsignedDecimal(value, MAX_ASN);
  if (asn === undefined) throw new FilterError(`invalid ASN '${value}' for ${type}`, value);
  return asn;
}

function parsePrefix(value: string, type: string): Prefix {
  try {
    return Prefix.parse(value);
  } catch {
    throw new FilterError(`invalid prefix '${value}' for ${type}`, value);
  }
}

/** A value as the filter string needs it: quoted when empty, a keyword, or holding white space. */
function quote(v: string, always = false): string {
  if (always || v === '' || /\s/.test(v) || v === 'and' || v === 'or') return `"${v}"`;
  return v;
}
