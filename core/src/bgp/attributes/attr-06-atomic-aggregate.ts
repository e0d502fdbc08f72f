import type { PathAttributes } from '../../model/path-attributes.js';

/** ATOMIC_AGGREGATE (RFC 4271 5.1.6): no value. A non-empty one is still a flag that was set. */
export function decodeAtomicAggregate(len: number, attrs: PathAttributes): void {
  if (len !== 0) attrs.addError(`ATOMIC_AGGREGATE has length ${len}`);
  attrs.atomicAggregate = true;
}
