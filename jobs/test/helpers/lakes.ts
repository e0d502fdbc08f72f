import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AS_SEQUENCE, type BgpRecord, type RecordSource, readMrtBatches } from '@bgpstream-ts/core';
import { exportToParquetLake } from '@bgpstream-ts/parquet';

/** The repository root (jobs/test/helpers → ../../..). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const DEMO_DIR = path.join(repoRoot, 'examples/data/demo');
export const DEMO_START = Date.UTC(2026, 0, 1) / 1000;

/** Real MRT samples: `MRT_SAMPLES_DIR`, or `../shared/mrt-samples` beside the checkout. */
export const samplesDir = process.env.MRT_SAMPLES_DIR ?? path.resolve(repoRoot, '../shared/mrt-samples');

/** One dump to put in a lake: a file and the source it is named as. */
export interface DumpInput {
  file: string;
  source: RecordSource;
}

export const DEMO_DUMPS: DumpInput[] = [
  {
    file: path.join(DEMO_DIR, 'rib.20260101.0000.mrt.gz'),
    source: { project: 'demo', collector: 'demo', type: 'rib', dumpTime: DEMO_START },
  },
  {
    file: path.join(DEMO_DIR, 'updates.20260101.0000.mrt.gz'),
    source: { project: 'demo', collector: 'demo', type: 'update', dumpTime: DEMO_START },
  },
];

const SAMPLE_TIME = 1427846400;
export const SAMPLE_DUMPS: DumpInput[] = [
  {
    file: path.join(samplesDir, 'libbgpstream/ris.rrc06.updates.1427846400.gz'),
    source: { project: 'ris', collector: 'rrc06', type: 'update', dumpTime: SAMPLE_TIME },
  },
  {
    file: path.join(samplesDir, 'libbgpstream/routeviews.route-views.jinx.updates.1427846400.bz2'),
    source: { project: 'routeviews', collector: 'route-views.jinx', type: 'update', dumpTime: SAMPLE_TIME },
  },
];

export const haveSamples = SAMPLE_DUMPS.every((d) => existsSync(d.file));
export const noSamplesMessage = `MRT samples not found under ${samplesDir}/libbgpstream (set MRT_SAMPLES_DIR): skipping the real-data lake`;

async function* recordsOf(dumps: readonly DumpInput[]): AsyncGenerator<BgpRecord[]> {
  for (const d of dumps) yield* readMrtBatches(d.file, { source: d.source, keepRaw: false });
}

/** A fresh temporary folder; `cleanup()` removes it. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Exports the dumps into `lake` with the Parquet connector. */
export async function buildLake(lake: string, dumps: readonly DumpInput[]): Promise<void> {
  await exportToParquetLake(recordsOf(dumps), { lake });
}

/**
 * One elem as the test's oracle sees it, straight from the decoder's model (not from the lake):
 * times in microseconds, addresses and prefixes as the model prints them.
 */
export interface OElem {
  project: string;
  collector: string;
  type: 'rib' | 'update';
  dumpTime: number;
  /** Record time, µs. */
  t: number;
  /** Input order over all dumps (the decoder's order). */
  seq: number;
  /** Index of the dump in the input list. */
  dump: number;
  recordIndex: number;
  status: string;
  position: string;
  elemType: 'R' | 'A' | 'W' | 'S';
  peerAsn: number;
  peerAddress: string | null;
  prefix: string | null;
  family: number | null;
  length: number | null;
  pathId: number | null;
  /** Null on W and S. */
  origins: number[] | null;
  asns: number[] | null;
  segTypes: number[] | null;
  asPathText: string | null;
  oldState: number;
  newState: number;
}

/** Every elem of the dumps, decoded with readMrt, in input order. */
export async function decodeElems(dumps: readonly DumpInput[]): Promise<OElem[]> {
  const out: OElem[] = [];
  let seq = 0;
  let recordIndex = 0;
  for (let d = 0; d < dumps.length; d++) {
    for await (const batch of readMrtBatches(dumps[d].file, { source: dumps[d].source, keepRaw: false })) {
      for (const r of batch) {
        recordIndex++;
        for (const e of r.elems) {
          const a = e.attributes;
          const segs = a?.asPath.segments ?? [];
          out.push({
            project: r.project,
            collector: r.collector,
            type: r.type,
            dumpTime: r.dumpTime,
            t: r.timeSec * 1e6 + r.timeUsec,
            seq: seq++,
            dump: d,
            recordIndex,
            status: r.status,
            position: r.dumpPosition,
            elemType: e.type,
            peerAsn: e.peerAsn,
            peerAddress: e.peerAddress ? e.peerAddress.toString() : null,
            prefix: e.prefix ? e.prefix.toString() : null,
            family: e.prefix ? e.prefix.family : null,
            length: e.prefix ? e.prefix.length : null,
            pathId: e.pathId,
            origins: a ? [...(a.asPath.originSegment?.asns ?? [])] : null,
            asns: a ? segs.flatMap((s) => [...s.asns]) : null,
            segTypes: a ? segs.flatMap((s) => s.asns.map(() => s.type)) : null,
            asPathText: a ? a.asPath.toString() : null,
            oldState: e.oldState,
            newState: e.newState,
          });
        }
      }
    }
  }
  return out;
}

export { AS_SEQUENCE };
