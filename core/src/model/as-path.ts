/** AS_PATH segment types (RFC 4271, RFC 5065). */
export const AS_SET = 1;
export const AS_SEQUENCE = 2;
export const AS_CONFED_SEQUENCE = 3;
export const AS_CONFED_SET = 4;

export interface AsPathSegment {
  readonly type: number;
  readonly asns: readonly number[];
}

/**
 * An AS path as its wire segments. BGPStream models every ASN of an
 * AS_SEQUENCE as a segment of its own; `length` and `originSegment` follow
 * that model, while the segments stay as on the wire so that re-encoding is exact.
 */
export class AsPath {
  private text: string | undefined;

  constructor(readonly segments: readonly AsPathSegment[]) {}

  static readonly EMPTY = new AsPath([]);

  /** BGPStream's path length: one per ASN of a sequence, one per set or confed segment. */
  get length(): number {
    let n = 0;
    for (const seg of this.segments) n += seg.type === AS_SEQUENCE ? seg.asns.length : 1;
    return n;
  }

  /** The last BGPStream segment: a single ASN of a sequence, or a whole set/confed segment. */
  get originSegment(): AsPathSegment | undefined {
    const last = this.segments[this.segments.length - 1];
    if (!last) return undefined;
    if (last.type === AS_SEQUENCE) {
      if (last.asns.length === 0) return undefined;
      return { type: AS_SEQUENCE, asns: [last.asns[last.asns.length - 1]] };
    }
    return last;
  }

  /** The origin ASN when the path ends in a plain ASN (not a set or confed segment). */
  get originAsn(): number | undefined {
    const last = this.segments[this.segments.length - 1];
    if (!last || last.type !== AS_SEQUENCE || last.asns.length === 0) return undefined;
    return last.asns[last.asns.length - 1];
  }

  /** BGPStream text: `11 12 {21,22} (31 32) [41,42] <991 992>`. */
  toString(): string {
    if (this.text === undefined) {
      let out = '';
      for (const seg of this.segments) {
        if (out !== '' && seg.asns.length >= 0) out += ' ';
        out += segmentText(seg);
      }
      this.text = out;
    }
    return this.text;
  }
}

export function segmentText(seg: AsPathSegment): string {
  switch (seg.type) {
    case AS_SEQUENCE:
      return seg.asns.join(' ');
    case AS_SET:
      return `{${seg.asns.join(',')}}`;
    case AS_CONFED_SEQUENCE:
      return `(${seg.asns.join(' ')})`;
    case AS_CONFED_SET:
      return `[${seg.asns.join(',')}]`;
    default:
      return `<${seg.asns.join(' ')}>`;
  }
}
