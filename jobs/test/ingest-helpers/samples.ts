import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Resource } from '@bgpstream-ts/core';
import { repoRoot } from './processes.js';

/** Real MRT samples: `MRT_SAMPLES_DIR`, or `../shared/mrt-samples` beside the checkout (never copied in). */
export const samplesDir = process.env.MRT_SAMPLES_DIR ?? path.resolve(repoRoot, '../shared/mrt-samples');
export const haveSamples = existsSync(path.join(samplesDir, 'SHA256SUMS'));
export const noSamplesMessage = `MRT samples not found at ${samplesDir} (set MRT_SAMPLES_DIR): skipping`;

/** The committed demo dumps (written by the project's own MRT encoder). */
export const demoDir = path.join(repoRoot, 'examples/data/demo');
export const demoRib = path.join(demoDir, 'rib.20260101.0000.mrt.gz');
export const demoUpdates = path.join(demoDir, 'updates.20260101.0000.mrt.gz');

/** One row of a csvfile data interface listing. */
export interface CsvDump {
  url: string;
  project: string;
  collector: string;
  type: 'ribs' | 'updates';
  time: number;
}

/** Eight shared samples: gzip, bzip2 and plain; RIS, RouteViews, FRR and BIRD; RIBs and updates. */
export function sampleDumps(): CsvDump[] {
  const s = (rel: string) => path.join(samplesDir, rel);
  return [
    {
      url: s('libbgpstream/ris.rrc06.updates.1427846400.gz'),
      project: 'ris',
      collector: 'rrc06',
      type: 'updates',
      time: 1427846400,
    },
    {
      url: s('libbgpstream/routeviews.route-views.jinx.updates.1427846400.bz2'),
      project: 'routeviews',
      collector: 'route-views.jinx',
      type: 'updates',
      time: 1427846400,
    },
    {
      url: s('bgpkit-parser-examples/updates.bz2'),
      project: 'routeviews',
      collector: 'bgpkit',
      type: 'updates',
      time: 1427846700,
    },
    {
      url: s('bgpdump-test_data/updates.20100722.2015.gz'),
      project: 'ris',
      collector: 'rrc00',
      type: 'updates',
      time: 1279829700,
    },
    {
      url: s('frr-bird-lab/frr-updates.mrt'),
      project: 'lab',
      collector: 'frr',
      type: 'updates',
      time: 1700000000,
    },
    { url: s('frr-bird-lab/frr-rib.mrt'), project: 'lab', collector: 'frr', type: 'ribs', time: 1700000000 },
    {
      url: s('frr-bird-lab/bird-messages.mrt'),
      project: 'lab',
      collector: 'bird',
      type: 'updates',
      time: 1700000000,
    },
    {
      url: s('frr-bird-lab/bird-rib.mrt'),
      project: 'lab',
      collector: 'bird',
      type: 'ribs',
      time: 1700000000,
    },
  ];
}

/** The demo RIB and updates as two dumps. */
export function demoDumps(): CsvDump[] {
  return [
    { url: demoRib, project: 'demo', collector: 'demo', type: 'ribs', time: 1767225600 },
    { url: demoUpdates, project: 'demo', collector: 'demo', type: 'updates', time: 1767225600 },
  ];
}

/** Writes a csvfile listing (`path,project,type,collector,file_time,duration,timestamp`); timestamps count up from `firstTimestamp`. */
export function writeCsv(file: string, dumps: readonly CsvDump[], firstTimestamp = 1_000_000_001): void {
  writeFileSync(file, dumps.map((d, i) => csvLine(d, firstTimestamp + i)).join(''));
}

/** One csvfile row (with its newline); `timestamp` is when the row was added (the data interface's live cursor). */
export function csvLine(d: CsvDump, timestamp: number): string {
  return `${d.url},${d.project},${d.type},${d.collector},${d.time},${d.type === 'ribs' ? 0 : 900},${timestamp}\n`;
}

/** The resource the csvfile data interface makes of a row. */
export function resourceOf(d: CsvDump): Resource {
  return {
    url: d.url,
    format: 'mrt',
    project: d.project,
    collector: d.collector,
    type: d.type === 'ribs' ? 'rib' : 'update',
    initialTime: d.time,
    duration: d.type === 'ribs' ? 0 : 900,
  };
}

/** `project|collector|type|time`, the key the lake helpers use. */
export function keyOf(d: CsvDump): string {
  return `${d.project}|${d.collector}|${d.type === 'ribs' ? 'rib' : 'update'}|${d.time}`;
}
