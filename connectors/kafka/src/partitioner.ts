import type { BgpRecord, Elem } from '@bgpstream-ts/core';

/** What a message key is made of: the elem's prefix (default), its peer, or nothing. */
export type KeyMode = 'prefix' | 'peer' | 'none';
export const KEY_MODES: readonly KeyMode[] = ['prefix', 'peer', 'none'];

const utf8 = new TextEncoder();

/** Kafka's murmur2 (the Java client's `Utils.murmur2`), as the default partitioner hashes keys. */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2] << 16;
  if (rest >= 2) h ^= data[tail + 1] << 8;
  if (rest >= 1) {
    h ^= data[tail];
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Kafka's default partitioner (Java, librdkafka's murmur2_random, kafkajs) gives a key. */
export function partitionForKey(key: string | Uint8Array, partitions: number): number {
  const bytes = typeof key === 'string' ? utf8.encode(key) : key;
  return (murmur2(bytes) & 0x7fffffff) % partitions;
}

/** `<peer asn> <peer address>`: the key of a peer. */
export function peerKey(e: Elem): string {
  return `${e.peerAsn} ${e.peerAddress?.toString() ?? ''}`;
}

/** The key of one elem: its prefix (peer-state elems, which have none: their peer), its peer, or null. */
export function elemKey(e: Elem, mode: KeyMode): string | null {
  switch (mode) {
    case 'prefix':
      return e.prefix === null ? peerKey(e) : e.prefix.toString();
    case 'peer':
      return peerKey(e);
    default:
      return null;
  }
}

/** The key of a whole record (mrt messages): its first elem's key; null without elems. */
export function recordKey(r: BgpRecord, mode: KeyMode): string | null {
  return r.elems.length === 0 ? null : elemKey(r.elems[0], mode);
}

/**
 * The partition of a message: by its key's hash, as Kafka's default partitioner, or, for a message
 * without a key, by the hash of its record id (`stableId`): spread like round robin, but the same
 * message always lands in the same partition, so that a copy re-sent after a crash sits in the
 * partition of the original.
 */
export function choosePartition(key: string | null, stableId: string, partitions: number): number {
  if (partitions <= 1) return 0;
  if (key === null) return partitionForKey(stableId, partitions);
  // Keys (prefixes, peers) repeat: their hash is remembered.
  if (partitions !== cachedPartitions || cache.size > 100_000) {
    cache.clear();
    cachedPartitions = partitions;
  }
  let p = cache.get(key);
  if (p === undefined) {
    p = partitionForKey(key, partitions);
    cache.set(key, p);
  }
  return p;
}

const cache = new Map<string, number>();
let cachedPartitions = 0;
