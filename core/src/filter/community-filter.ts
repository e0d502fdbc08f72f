import { parseUnsignedDecimal } from './decimal.js';
import { FilterError } from './filter-error.js';

/** Which side of a community pattern is compared (spec 2.6): `*` clears the bit. */
const ASN_BIT = 1;
const VALUE_BIT = 2;

export interface CommunityPattern {
  /** undefined: `*`. */
  readonly asn: number | undefined;
  readonly value: number | undefined;
}

/**
 * Parses `A:V` where each side is `*` or a decimal ≤ 65535. Reference quirk,
 * kept: an empty side reads as 0 (C `strtoul`), so `:300` is `0:300`.
 */
export function parseCommunityPattern(text: string): CommunityPattern {
  const colon = text.indexOf(':');
  const bad = (why: string) => new FilterError(`invalid community '${text}': ${why}`, text);
  if (colon < 0) throw bad("expected 'asn:value'");
  const side = (s: string, name: string): number | undefined => {
    if (s === '*') return undefined;
    const n = parseUnsignedDecimal(s, 0xffff);
    if (n === undefined) throw bad(`${name} must be '*' or a decimal number up to 65535`);
    return n;
  };
  return { asn: side(text.slice(0, colon), 'the ASN'), value: side(text.slice(colon + 1), 'the value') };
}

export function communityPatternText(p: CommunityPattern): string {
  return `${p.asn ?? '*'}:${p.value ?? '*'}`;
}

/**
 * The community filters: an elem passes when ANY pattern matches ANY of its
 * communities. As in the reference, patterns are keyed by the community with
 * the wildcarded sides zeroed, and adding a pattern again ANDs the masks
 * (`0:300` then `*:300` leaves `*:300`), which amounts to the union.
 *
 * Compiled into three Sets (exact communities, ASN-only, value-only) and one
 * flag (`*:*`: any community at all), so a check costs one or three Set
 * lookups per community.
 */
export class CommunityFilter {
  /** key (asn * 65536 + value, wildcarded sides 0) → mask. */
  private readonly masks = new Map<number, number>();
  private exact = new Set<number>();
  private byAsn = new Set<number>();
  private byValue = new Set<number>();
  private anyCommunity = false;

  get size(): number {
    return this.masks.size;
  }

  get patterns(): readonly CommunityPattern[] {
    const out: CommunityPattern[] = [];
    for (const [key, mask] of this.masks) {
      out.push({
        asn: mask & ASN_BIT ? Math.floor(key / 65536) : undefined,
        value: mask & VALUE_BIT ? key % 65536 : undefined,
      });
    }
    return out;
  }

  add(p: CommunityPattern): void {
    const mask = (p.asn === undefined ? 0 : ASN_BIT) | (p.value === undefined ? 0 : VALUE_BIT);
    const key = (p.asn ?? 0) * 65536 + (p.value ?? 0);
    const old = this.masks.get(key);
    this.masks.set(key, old === undefined ? mask : old & mask);
    this.compile();
  }

  addAll(other: CommunityFilter): void {
    for (const p of other.patterns) this.add(p);
  }

  /** `communities`: packed `asn << 16 | value`, as in PathAttributes. */
  matches(communities: readonly number[]): boolean {
    const n = communities.length;
    if (n === 0) return false;
    if (this.anyCommunity) return true;
    const { exact, byAsn, byValue } = this;
    const checkAsn = byAsn.size !== 0;
    const checkValue = byValue.size !== 0;
    for (let i = 0; i < n; i++) {
      const c = communities[i];
      const asn = c >>> 16;
      const value = c & 0xffff;
      if (exact.has(asn * 65536 + value)) return true;
      if (checkAsn && byAsn.has(asn)) return true;
      if (checkValue && byValue.has(value)) return true;
    }
    return false;
  }

  private compile(): void {
    this.exact = new Set();
    this.byAsn = new Set();
    this.byValue = new Set();
    this.anyCommunity = false;
    for (const [key, mask] of this.masks) {
      if (mask === (ASN_BIT | VALUE_BIT)) this.exact.add(key);
      else if (mask === ASN_BIT) this.byAsn.add(Math.floor(key / 65536));
      else if (mask === VALUE_BIT) this.byValue.add(key % 65536);
      else this.anyCommunity = true;
    }
  }
}
