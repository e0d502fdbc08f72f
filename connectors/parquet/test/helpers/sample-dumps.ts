import path from 'node:path';
import { type BgpRecord, mrtTypes, type RecordSource, readMrtBatches } from '@bgpstream-ts/core';
import { expectedRow, features, type Row } from './expected-row.js';
import { samplePath } from './samples.js';

/** A sample file as a dump: project = its folder, collector = its name without extensions. */
export interface SampleDump {
  file: string;
  source: RecordSource;
  /** Elems the decoder gives. */
  elems: number;
}

export function dumpKeyText(s: RecordSource): string {
  return `${s.project}|${s.collector}|${s.type}|${s.dumpTime}`;
}

/** The type from the MRT content (TABLE_DUMP* → rib, else update) and the first record's time as the dump time. */
export async function describeSample(file: string): Promise<SampleDump> {
  let type: 'rib' | 'update' = 'update';
  let dumpTime = 0;
  let elems = 0;
  let first = true;
  for await (const batch of readMrtBatches(samplePath(file), { keepRaw: false })) {
    for (const r of batch) {
      if (first && r.mrtType !== 0) {
        type =
          r.mrtType === mrtTypes.MRT_TABLE_DUMP || r.mrtType === mrtTypes.MRT_TABLE_DUMP_V2
            ? 'rib'
            : 'update';
        dumpTime = r.timeSec;
        first = false;
      }
      elems += r.elems.length;
    }
  }
  const base = path.basename(file);
  const collector = base.replace(/\.(gz|bz2|mrt)$/, '');
  return { file, source: { project: file.split('/')[0], collector, type, dumpTime }, elems };
}

/** The sample's records as the exporter receives them. */
export function sampleRecords(d: SampleDump): AsyncGenerator<BgpRecord[]> {
  return readMrtBatches(samplePath(d.file), { source: d.source, keepRaw: false });
}

/**
 * The order the lake must hold a dump's rows in, as arrival indices: parts of `rowGroupSize` rows
 * cut in arrival order, each sorted by record time, prefix family (none first), network, length,
 * then arrival. Also the first arrival index showing each feature.
 */
export async function expectedLayout(
  d: SampleDump,
  rowGroupSize: number,
): Promise<{ order: Uint32Array; featureRows: Partial<Record<keyof typeof features, number>> }> {
  const n = d.elems;
  const time = new Float64Array(n);
  const fam = new Uint8Array(n);
  const len = new Uint8Array(n);
  // The network as four big-endian words, IPv4 mapped into ::ffff:0:0/96.
  const net = new Uint32Array(4 * n);
  const featureRows: Partial<Record<keyof typeof features, number>> = {};
  const names = Object.keys(features) as (keyof typeof features)[];
  let i = 0;
  for await (const batch of sampleRecords(d)) {
    for (const r of batch) {
      for (const e of r.elems) {
        time[i] = r.timeSec * 1e6 + r.timeUsec;
        const p = e.prefix;
        if (p) {
          fam[i] = p.family;
          len[i] = p.length;
          const a = p.address;
          if (p.family === 4) net.set([0, 0, 0xffff, a.w0], 4 * i);
          else net.set([a.w0, a.w1, a.w2, a.w3], 4 * i);
        }
        // The full oracle row only while some feature is still unseen.
        if (Object.keys(featureRows).length < names.length) {
          const row = expectedRow(r, e);
          for (const f of names) if (featureRows[f] === undefined && features[f](row)) featureRows[f] = i;
        }
        i++;
      }
    }
  }
  const cmpNet = (a: number, b: number) => {
    for (let k = 0; k < 4; k++) {
      const x = net[4 * a + k] - net[4 * b + k];
      if (x !== 0) return x;
    }
    return 0;
  };
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  for (let s = 0; s < n; s += rowGroupSize) {
    const part = Array.from(order.subarray(s, Math.min(n, s + rowGroupSize)));
    part.sort((a, b) => time[a] - time[b] || fam[a] - fam[b] || cmpNet(a, b) || len[a] - len[b] || a - b);
    order.set(part, s);
  }
  return { order, featureRows };
}

/** The oracle rows at the given arrival indices. */
export async function expectedRowsAt(d: SampleDump, indices: Set<number>): Promise<Map<number, Row>> {
  const out = new Map<number, Row>();
  let i = 0;
  for await (const batch of sampleRecords(d)) {
    for (const r of batch) {
      for (const e of r.elems) {
        if (indices.has(i)) out.set(i, expectedRow(r, e));
        i++;
      }
    }
  }
  return out;
}
