import type { Resource } from '../datainterfaces/resource.js';
import type { BgpRecord } from '../model/record.js';
import type { OpenResourceOptions } from './open-resource.js';

/** Reads a resource whose url has a registered scheme (e.g. `kafka://`), instead of the format readers. */
export type ResourceOpener = (resource: Resource, options: OpenResourceOptions) => AsyncIterable<BgpRecord[]>;

const openers = new Map<string, ResourceOpener>();

/**
 * Makes `openResource` read urls `<scheme>://...` with `open`: how a connector (e.g. kafka) adds a
 * transport without core importing it. The scheme is matched without regard to case.
 */
export function registerResourceOpener(scheme: string, open: ResourceOpener): void {
  if (!/^[a-z][a-z0-9+.-]*$/i.test(scheme)) throw new Error(`'${scheme}' is not a URL scheme`);
  openers.set(scheme.toLowerCase(), open);
}

/** The opener registered for the url's scheme, if any. */
export function resourceOpenerFor(url: string): ResourceOpener | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  return m ? openers.get(m[1].toLowerCase()) : undefined;
}
