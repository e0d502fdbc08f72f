import { existsSync } from 'node:fs';
import type { BgpRecord } from '@bgpstream-ts/core';
import { readMrtBatches } from '@bgpstream-ts/core';

const DIR = '/work/shared/mrt-samples/libbgpstream';

/** The two libbgpstream sample files, with the project/collector/dump time a csvfile row would give them. */
export const SAMPLES = [
  {
    path: `${DIR}/ris.rrc06.updates.1427846400.gz`,
    project: 'ris',
    collector: 'rrc06',
    type: 'update' as const,
    dumpTime: 1427846400,
    duration: 300,
  },
  {
    path: `${DIR}/routeviews.route-views.jinx.updates.1427846400.bz2`,
    project: 'routeviews',
    collector: 'route-views.jinx',
    type: 'update' as const,
    dumpTime: 1427846400,
    duration: 900,
  },
];

export const samplesPresent = SAMPLES.every((s) => existsSync(s.path));
if (!samplesPresent) {
  console.warn(`SKIPPED sample-file tests: the libbgpstream samples are not in ${DIR}`);
}

/** A sample read directly (the decoder's own records). */
export async function readSample(s: (typeof SAMPLES)[number]): Promise<BgpRecord[]> {
  const out: BgpRecord[] = [];
  for await (const batch of readMrtBatches(s.path, {
    source: { project: s.project, collector: s.collector, type: s.type, dumpTime: s.dumpTime },
  })) {
    out.push(...batch);
  }
  return out;
}

/** A csvfile listing both samples, as BGPStream's csvfile data interface reads it. */
export function samplesCsv(): string {
  return SAMPLES.map(
    (s) => `${s.path},${s.project},updates,${s.collector},${s.dumpTime},${s.duration},${s.dumpTime}`,
  ).join('\n');
}
