import type { BgpRecord } from '../model/record.js';

interface Cursor {
  batches: AsyncIterator<BgpRecord[]>;
  batch: BgpRecord[];
  index: number;
}

async function advance(c: Cursor): Promise<boolean> {
  while (c.index >= c.batch.length) {
    const next = await c.batches.next();
    if (next.done) return false;
    c.batch = next.value;
    c.index = 0;
  }
  return true;
}

/** RIB records come before update records of the same second, as in BGPStream. */
function before(a: BgpRecord, b: BgpRecord): boolean {
  if (a.timeSec !== b.timeSec) return a.timeSec < b.timeSec;
  return a.type === 'rib' && b.type === 'update';
}

/**
 * Merges time-sorted record streams into one, by whole seconds, RIB records
 * first at equal seconds. A stream keeps supplying records while its next
 * one is not later than every other stream's, so all records of one second
 * from one file come out together, as BGPStream does.
 */
export async function* mergeRecordStreams(streams: AsyncIterable<BgpRecord[]>[]): AsyncGenerator<BgpRecord> {
  const cursors: Cursor[] = [];
  try {
    for (const s of streams) {
      const c: Cursor = { batches: s[Symbol.asyncIterator](), batch: [], index: 0 };
      if (await advance(c)) cursors.push(c);
    }
    let current: Cursor | undefined;
    while (cursors.length > 0) {
      let best = current && cursors.includes(current) ? current : cursors[0];
      for (const c of cursors) {
        if (c !== best && before(c.batch[c.index], best.batch[best.index])) best = c;
      }
      current = best;
      yield best.batch[best.index++];
      if (!(await advance(best))) cursors.splice(cursors.indexOf(best), 1);
    }
  } finally {
    // An early stop must still close every file.
    await Promise.all(cursors.map((c) => c.batches.return?.()));
  }
}
