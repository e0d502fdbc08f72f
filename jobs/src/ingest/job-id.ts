import { createHash } from 'node:crypto';
import type { Resource } from '@bgpstream-ts/core';
import type { DumpKey } from '@bgpstream-ts/parquet';

/** The lake's key of the dump a resource holds (its records carry the resource's project, collector, type and time). */
export function dumpKeyOf(resource: Resource): DumpKey {
  return {
    project: resource.project,
    collector: resource.collector,
    type: resource.type,
    dumpTime: resource.initialTime,
  };
}

/**
 * The BullMQ job id of a dump: `dump-` and the SHA-256 of its project, collector, type, initial
 * time and URL. The same dump always gets the same id, whoever enqueues it and whenever, so BullMQ
 * refuses a second job for it while the first is kept in Redis.
 */
export function ingestJobId(resource: Resource): string {
  const fields = [resource.project, resource.collector, resource.type, resource.initialTime, resource.url];
  return `dump-${createHash('sha256').update(JSON.stringify(fields)).digest('hex')}`;
}

/** A job's name: what a person reads in `ingest status` (`project/collector/type@time`). */
export function ingestJobName(resource: Resource): string {
  return `${resource.project}/${resource.collector}/${resource.type}@${resource.initialTime}`;
}
