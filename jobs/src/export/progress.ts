import cliProgress from 'cli-progress';

/** What an export reports as it goes. */
export interface ExportCounters {
  elems: number;
  records: number;
  files: number;
  bytes: number;
}

/**
 * A one-line progress display (elems, elems/s, files) on a terminal, silent
 * elsewhere: logs and pipes get the summary only.
 */
export class ExportProgress {
  private readonly bar: cliProgress.SingleBar | null;
  private readonly started = performance.now();

  constructor(quiet: boolean) {
    const show = !quiet && process.stderr.isTTY === true;
    this.bar = show
      ? new cliProgress.SingleBar(
          {
            format:
              'exporting {elems} elems  {rate} elems/s  {records} records  {files} files  {duration_formatted}',
            stream: process.stderr,
            hideCursor: true,
            fps: 5,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
    this.bar?.start(0, 0, { elems: 0, rate: 0, records: 0, files: 0 });
  }

  get seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  update(c: ExportCounters): void {
    if (!this.bar) return;
    const rate = Math.round(c.elems / Math.max(this.seconds, 0.001));
    this.bar.update(0, { elems: c.elems, rate, records: c.records, files: c.files });
  }

  stop(): void {
    this.bar?.stop();
  }
}

/** Counts records and elems on their way to a sink. */
export async function* counted<T extends { elems: readonly unknown[] }>(
  batches: AsyncIterable<T[]>,
  counters: ExportCounters,
  onBatch: () => void,
): AsyncGenerator<T[]> {
  for await (const batch of batches) {
    counters.records += batch.length;
    for (const r of batch) counters.elems += r.elems.length;
    onBatch();
    yield batch;
  }
}
