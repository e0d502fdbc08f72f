import type { IpAddress } from '../model/address.js';
import { Prefix } from '../model/prefix.js';

/** How a filter prefix relates to the elem prefixes it lets through (the filter prefix itself always passes). */
export type PrefixSpecificity = 'exact' | 'more' | 'less' | 'any';

/** Specificity as bits: more-specific elem prefixes pass, less-specific ones pass; exact is 0, any is both. */
const MORE = 1;
const LESS = 2;

const SPECIFICITY_BITS: Record<PrefixSpecificity, number> = {
  exact: 0,
  more: MORE,
  less: LESS,
  any: MORE | LESS,
};
const BITS_SPECIFICITY: readonly PrefixSpecificity[] = ['exact', 'more', 'less', 'any'];

export interface PrefixFilterEntry {
  /** The filter prefix, host bits masked off. */
  readonly prefix: Prefix;
  readonly specificity: PrefixSpecificity;
}

/** A node of a binary trie over prefix bits: the node at depth d stands for one d-bit prefix. */
class TrieNode {
  zero: TrieNode | null = null;
  one: TrieNode | null = null;
  /** A filter prefix ends here. */
  isFilter = false;
  /** The MORE/LESS bits of the filter prefix ending here (0: exact). */
  bits = 0;
  /** Filter prefix here with MORE: every elem prefix below passes. */
  passesBelow = false;
  /** Some filter prefix strictly below this node has LESS (an elem prefix equal to this node's passes). */
  lessBelow = false;
}

/**
 * The prefix filters (spec 2.4): one binary trie per address family, each
 * filter prefix a node carrying its specificity. An elem prefix P passes when
 *   - a filter prefix equals P (whatever its specificity),
 *   - a filter prefix with `more`/`any` strictly contains P, or
 *   - a filter prefix with `less`/`any` is strictly contained in P.
 *
 * Deliberate fixes of the reference's patricia-tree artifacts:
 *   - the same prefix added twice keeps the UNION of its specificities
 *     (the reference keeps the first one only: `exact` then `less` stays exact);
 *   - a prefix that lands where the reference's tree has an internal "glue"
 *     node keeps the specificity it was given (the reference turns it into `any`).
 * The trie here has no glue nodes that can be mistaken for filters: a node is a
 * filter exactly when a prefix was added for it.
 *
 * Matching walks at most P.length bits and allocates nothing. The elem prefix
 * is used as decoded (bits past its length are never looked at).
 */
export class PrefixFilter {
  private readonly v4 = new TrieNode();
  private readonly v6 = new TrieNode();
  /** Entries in insertion order (one per distinct prefix), for inspection, merging and printing. */
  private readonly list: { prefix: Prefix; node: TrieNode }[] = [];

  get size(): number {
    return this.list.length;
  }

  get entries(): readonly PrefixFilterEntry[] {
    return this.list.map((e) => ({ prefix: e.prefix, specificity: BITS_SPECIFICITY[e.node.bits] }));
  }

  /** Adds a filter prefix (host bits are masked off). A prefix already present gets the union of both specificities. */
  add(prefix: Prefix, specificity: PrefixSpecificity): void {
    const length = prefix.length;
    const address = prefix.address.masked(length);
    const path: TrieNode[] = [];
    let node = prefix.family === 4 ? this.v4 : this.v6;
    for (let i = 0; i < length; i++) {
      path.push(node);
      if (bitAt(address, i) === 0) {
        if (node.zero === null) node.zero = new TrieNode();
        node = node.zero;
      } else {
        if (node.one === null) node.one = new TrieNode();
        node = node.one;
      }
    }
    const bits = SPECIFICITY_BITS[specificity];
    if (!node.isFilter) {
      node.isFilter = true;
      this.list.push({ prefix: address.equals(prefix.address) ? prefix : new Prefix(address, length), node });
    }
    node.bits |= bits;
    node.passesBelow = (node.bits & MORE) !== 0;
    if (bits & LESS) for (const ancestor of path) ancestor.lessBelow = true;
  }

  /** Adds every prefix of `other`. */
  addAll(other: PrefixFilter): void {
    for (const e of other.list) this.add(e.prefix, BITS_SPECIFICITY[e.node.bits]);
  }

  /** True when `prefix` passes (see the class comment). Other-family filters never match. */
  matches(prefix: Prefix): boolean {
    const address = prefix.address;
    const length = prefix.length;
    let node: TrieNode | null = address.family === 4 ? this.v4 : this.v6;
    // Depth 0 .. length-1: filter prefixes strictly containing P.
    let word = address.w0;
    for (let i = 0; i < length; i++) {
      if (node.passesBelow) return true;
      const shift = i & 31;
      if (shift === 0 && i !== 0) word = i === 32 ? address.w1 : i === 64 ? address.w2 : address.w3;
      node = ((word >>> (31 - shift)) & 1) === 0 ? node.zero : node.one;
      if (node === null) return false;
    }
    // Depth `length`: P itself, or filter prefixes strictly inside P.
    return node.isFilter || node.lessBelow;
  }
}

function bitAt(address: IpAddress, i: number): number {
  return (address.word(i >>> 5) >>> (31 - (i & 31))) & 1;
}
