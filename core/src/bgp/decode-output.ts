import type { Elem } from '../model/elem.js';

/** A peer pre-check from the stream's filters: false when no elem of this peer can pass. */
export type PeerFilter = (peerAsn: number) => boolean;

/**
 * What decoding one record produces (its elems and the problems it got
 * past), and which peers the consumer wants at all: decoders ask
 * `wantsPeer` before decoding a peer's attributes, so that filtering by
 * peer costs less than decoding.
 */
export class DecodeOutput {
  readonly elems: Elem[] = [];
  problems: string[] | null = null;

  constructor(private readonly peerFilter: PeerFilter | null = null) {}

  wantsPeer(peerAsn: number): boolean {
    return this.peerFilter === null || this.peerFilter(peerAsn);
  }

  addProblem(message: string): void {
    if (this.problems === null) this.problems = [];
    this.problems.push(message);
  }
}
