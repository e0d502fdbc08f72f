import type { PeerFilter } from '../bgp/decode-output.js';
import { readBmpFileBatches } from '../bmp/bmp-reader.js';
import type { Resource } from '../datainterfaces/resource.js';
import { openRisLiveResource } from '../formats/ris-live.js';
import { BgpRecord } from '../model/record.js';
import type { TimeInterval } from '../mrt/mrt-reader.js';
import { readMrtBatches } from '../mrt/read-mrt.js';
import { resourceOpenerFor } from './resource-openers.js';

export interface OpenResourceOptions {
  interval?: TimeInterval;
  signal?: AbortSignal;
  /** Peers whose elems are wanted (MRT): others are not decoded. */
  peerFilter?: PeerFilter;
}

/** The records of one resource, in batches, with the resource's project, collector, type and dump time. */
export async function* openResource(
  resource: Resource,
  options: OpenResourceOptions = {},
): AsyncGenerator<BgpRecord[]> {
  const opener = resourceOpenerFor(resource.url);
  if (opener) {
    yield* opener(resource, options);
    return;
  }
  if (resource.format === 'ris-live') {
    // JSON lines from a file or URL, or a live ws:// / wss:// RIS Live socket.
    yield* openRisLiveResource(resource, options);
    return;
  }
  const source = {
    project: resource.project,
    collector: resource.collector,
    type: resource.type,
    dumpTime: resource.initialTime,
  };
  if (resource.format === 'bmp') {
    yield* readBmpFileBatches(resource.url, { source, interval: options.interval, signal: options.signal });
    return;
  }
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
    source,
    interval: options.interval,
    peerFilter: options.peerFilter,
    signal: options.signal,
  });
}
