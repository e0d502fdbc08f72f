import type { Resource } from '../datainterfaces/resource.js';
import type { BgpRecord } from '../model/record.js';

interface Cursor {
  resource: Resource;
  batches: AsyncIterator<BgpRecord[]>;
  batch: BgpRecord[];
  index: number;
}

/** RIB records come before update records of the same second, as in BGPStream. */
function before(a: BgpRecord, b: BgpRecord): boolean {
  if (a.timeSec !== b.timeSec) return a.timeSec < b.timeSec;
  return a.type === 'rib' && b.type === 'update';
}

/**
 * The time-ordered merge of many dumps. Dumps are opened only when the merge
 * reaches their nominal start (a dump cannot hold records from before it
 * began), so a day of files costs a handful of open readers at a time. The
 * next record is the oldest head, RIB before updates at equal seconds; a
 * dump keeps supplying records while it is not behind another, so the
 * records of one second of one file come out together, as in BGPStream.
 *
 * Records come out in runs (`nextRun`): the merge awaits only when a dump
 * needs its next batch, never once per record.
 */
export class RecordMerger {
  private readonly pending: Resource[] = [];
  private readonly cursors: Cursor[] = [];
  /** A cursor whose batch ran out and must be refilled before the next choice. */
  private drained: Cursor | undefined;
  private current: Cursor | undefined;

  constructor(private readonly open: (resource: Resource) => AsyncIterable<BgpRecord[]>) {}

  add(resources: readonly Resource[]): void {
    this.pending.push(...resources);
    // Stable: dumps listed together keep their order at equal times.
    this.pending.sort(
      (a, b) => a.initialTime - b.initialTime || (a.type === b.type ? 0 : a.type === 'rib' ? -1 : 1),
    );
  }

  /** Nothing open and nothing waiting. */
  get idle(): boolean {
    return this.cursors.length === 0 && this.pending.length === 0 && this.drained === undefined;
  }

  /**
   * The next records in merge order: a run from one dump, as long as it does
   * not pass another dump's next record. Empty when every dump added so far
   * is exhausted.
   */
  async nextRun(): Promise<BgpRecord[]> {
    if (this.drained) {
      const c = this.drained;
      this.drained = undefined;
      if (!(await this.advance(c))) this.cursors.splice(this.cursors.indexOf(c), 1);
    }
    await this.openDue();
    if (this.cursors.length === 0) return [];
    let best = this.current && this.cursors.includes(this.current) ? this.current : this.cursors[0];
    let second: BgpRecord | undefined;
    for (const c of this.cursors) {
      if (c === best) continue;
      const head = c.batch[c.index];
      if (before(head, best.batch[best.index])) {
        if (!second || before(best.batch[best.index], second)) second = best.batch[best.index];
        best = c;
      } else if (!second || before(head, second)) {
        second = head;
      }
    }
    this.current = best;
    // Take records from the best dump while none of the others' heads comes strictly first.
    const start = best.index;
    let end = start + 1;
    const batch = best.batch;
    while (end < batch.length && (second === undefined || !before(second, batch[end]))) end++;
    best.index = end;
    if (end >= batch.length) this.drained = best;
    // The first dump to open may be due before the run ends: stop the run at the next dump's start.
    const next = this.pending[0];
    if (next && end - start > 1) {
      let cut = start + 1;
      while (cut < end && batch[cut].timeSec < next.initialTime) cut++;
      if (cut < end) {
        best.index = cut;
        this.drained = undefined;
        end = cut;
      }
    }
    return start === 0 && end === batch.length ? batch : batch.slice(start, end);
  }

  /** Opens every waiting dump that may hold records no later than the oldest head. */
  private async openDue(): Promise<void> {
    while (this.pending.length > 0) {
      const horizon = this.horizon();
      if (horizon !== undefined && this.pending[0].initialTime > horizon) return;
      const resource = this.pending.shift()!;
      const cursor: Cursor = {
        resource,
        batches: this.open(resource)[Symbol.asyncIterator](),
        batch: [],
        index: 0,
      };
      if (await this.advance(cursor)) this.cursors.push(cursor);
    }
  }

  private horizon(): number | undefined {
    let min: number | undefined;
    for (const c of this.cursors) {
      const t = c.batch[c.index].timeSec;
      if (min === undefined || t < min) min = t;
    }
    return min;
  }

  private async advance(c: Cursor): Promise<boolean> {
    while (c.index >= c.batch.length) {
      const next = await c.batches.next();
      if (next.done) return false;
      c.batch = next.value;
      c.index = 0;
    }
    return true;
  }

  /** Releases every open file, process and socket. */
  async close(): Promise<void> {
    const open = this.cursors.splice(0);
    this.pending.length = 0;
    this.drained = undefined;
    await Promise.all(open.map((c) => c.batches.return?.()));
  }
}
