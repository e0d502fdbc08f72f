import type { Resource } from '../datainterfaces/resource.js';

/**
 * BGPStream's RIB period: per project and collector, a RIB dump is kept only
 * when at least `period` seconds passed since the last one kept. Decided on
 * the dumps' nominal times, in the order the data interface lists them.
 */
export class RibPeriodFilter {
  private readonly lastKept = new Map<string, number>();

  constructor(private readonly period: number) {}

  wanted(resource: Resource): boolean {
    if (this.period <= 0 || resource.type !== 'rib') return true;
    const key = `${resource.project}.${resource.collector}`;
    const last = this.lastKept.get(key);
    if (last !== undefined && resource.initialTime < last + this.period) return false;
    this.lastKept.set(key, resource.initialTime);
    return true;
  }
}
