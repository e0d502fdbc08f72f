import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DumpId } from './record-ids.js';

/** How far one dump has been delivered. */
export interface CheckpointDump extends DumpId {
  /** Index (from 0, in stream order) of the last record of the dump whose messages Kafka acknowledged; -1: none. */
  lastRecord: number;
  /** The dump's last record (`dumpPosition` end) was delivered: the whole dump is in Kafka. */
  complete: boolean;
}

/** A flush that was being sent when the checkpoint was written: its messages may or may not be in Kafka. */
export interface InFlightFlush {
  /** How many records (not skipped ones) it held: a resumed run cuts its first flush there again. */
  records: number;
  firstRecordId: string;
  lastRecordId: string;
  messages: number;
}

/** The settings a checkpoint was made with: resuming with others would mix two layouts in the topics. */
export interface CheckpointSettings {
  format: string;
  topicTemplate: string;
  key: string;
}

export interface CheckpointFile extends CheckpointSettings {
  version: 1;
  updated: string;
  dumps: Record<string, CheckpointDump>;
  inFlight: InFlightFlush[];
}

/** What an acknowledged flush moves forward, per dump. */
export interface FlushProgress {
  dump: DumpId;
  lastRecord: number;
  ended: boolean;
}

/**
 * The export checkpoint: per dump (project/collector/type/dumpTime) the last record index Kafka
 * acknowledged, and the flush in flight. Written atomically (temporary file, fsync, rename) before
 * each flush is sent, so a crash at any point leaves a file that names exactly what may have to be
 * sent again. Without a path it only keeps the state in memory.
 */
export class ExportCheckpoint {
  private constructor(
    readonly path: string | undefined,
    private readonly state: CheckpointFile,
    /** The flushes that were in flight when the previous run stopped. */
    readonly replay: readonly InFlightFlush[],
  ) {}

  static async open(path: string | undefined, settings: CheckpointSettings): Promise<ExportCheckpoint> {
    const fresh: CheckpointFile = { version: 1, ...settings, updated: '', dumps: {}, inFlight: [] };
    if (path === undefined) return new ExportCheckpoint(undefined, fresh, []);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new ExportCheckpoint(path, fresh, []);
      throw err;
    }
    let state: CheckpointFile;
    try {
      state = JSON.parse(text) as CheckpointFile;
    } catch (err) {
      throw new Error(`checkpoint ${path} is not JSON: ${(err as Error).message}`);
    }
    if (state.version !== 1 || typeof state.dumps !== 'object' || !Array.isArray(state.inFlight)) {
      throw new Error(`checkpoint ${path} is not a bgpstream Kafka export checkpoint (version 1)`);
    }
    for (const k of ['format', 'topicTemplate', 'key'] as const) {
      if (state[k] !== settings[k]) {
        throw new Error(
          `checkpoint ${path} was made with ${k} '${state[k]}', this export uses '${settings[k]}': ` +
            'resume with the same settings, or start over with another checkpoint file',
        );
      }
    }
    const replay = state.inFlight;
    state.inFlight = [];
    return new ExportCheckpoint(path, state, replay);
  }

  /** True when the record was delivered by an earlier run (or this one). */
  delivered(dumpKey: string, recordIndex: number): boolean {
    const d = this.state.dumps[dumpKey];
    return d !== undefined && recordIndex <= d.lastRecord;
  }

  /** True when every record of the dump was delivered. */
  complete(dumpKey: string): boolean {
    return this.state.dumps[dumpKey]?.complete === true;
  }

  dump(dumpKey: string): CheckpointDump | undefined {
    return this.state.dumps[dumpKey];
  }

  get dumps(): Readonly<Record<string, CheckpointDump>> {
    return this.state.dumps;
  }

  /** Notes a flush as in flight and writes the file, before the flush is sent. */
  async begin(flush: InFlightFlush): Promise<void> {
    this.state.inFlight.push(flush);
    await this.save();
  }

  /** Kafka acknowledged the oldest flush in flight: its records are delivered (written with the next `begin`/`save`). */
  ack(progress: Iterable<[string, FlushProgress]>): void {
    this.state.inFlight.shift();
    for (const [key, p] of progress) {
      let d = this.state.dumps[key];
      if (d === undefined) {
        d = { ...p.dump, lastRecord: -1, complete: false };
        this.state.dumps[key] = d;
      }
      if (p.lastRecord > d.lastRecord) d.lastRecord = p.lastRecord;
      if (p.ended) d.complete = true;
    }
  }

  /** Writes the state: a temporary file, fsync, then rename over the checkpoint. */
  async save(): Promise<void> {
    if (this.path === undefined) return;
    this.state.updated = new Date().toISOString();
    const tmp = `${this.path}.tmp-${process.pid}`;
    await mkdir(dirname(this.path), { recursive: true });
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(`${JSON.stringify(this.state, null, 1)}\n`);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.path);
  }
}

/** Reads a checkpoint file (for tools and for resource filters); null when it does not exist. */
export async function readCheckpoint(path: string): Promise<CheckpointFile | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as CheckpointFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
