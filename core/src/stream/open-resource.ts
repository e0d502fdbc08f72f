import type { Resource } from '../datainterfaces/resource.js';
import { BgpRecord } from '../model/record.js';
import type { TimeInterval } from '../mrt/mrt-reader.js';
import { readMrtBatches } from '../mrt/read-mrt.js';

export interface OpenResourceOptions {
  interval?: TimeInterval;
  signal?: AbortSignal;
}

/** The records of one resource, in batches, with the resource's project, collector, type and dump time. */
export async function* openResource(
  resource: Resource,
  options: OpenResourceOptions = {},
): AsyncGenerator<BgpRecord[]> {
  if (resource.format !== 'mrt') {
    const rec = new BgpRecord(
      resource.project,
      resource.collector,
      resource.type,
      resource.initialTime,
      resource.initialTime,
      0,
      'corrupted-source',
      0,
      0,
      [],
      null,
      `${resource.url}: the ${resource.format} format is not supported yet`,
    );
    rec.dumpPosition = 'end';
    yield [rec];
    return;
  }
  yield* readMrtBatches(resource.url, {
    source: {
      project: resource.project,
      collector: resource.collector,
      type: resource.type,
      dumpTime: resource.initialTime,
    },
    interval: options.interval,
    signal: options.signal,
  });
}
