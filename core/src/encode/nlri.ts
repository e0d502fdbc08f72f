import type { AddressFamily } from '../model/address.js';
import type { Prefix } from '../model/prefix.js';
import type { ByteWriter } from './byte-writer.js';

/**
 * One prefix as NLRI (RFC 4271 4.3): length byte and the bytes that hold its
 * significant bits. Host bits are cleared on the way out: a Prefix built by
 * hand may carry them, and they are not part of the prefix.
 */
export function writePrefix(w: ByteWriter, prefix: Prefix): void {
  const { length } = prefix;
  const max = prefix.family === 4 ? 32 : 128;
  if (!Number.isInteger(length) || length < 0 || length > max) {
    throw new RangeError(`prefix length ${length} is not valid for IPv${prefix.family}`);
  }
  const a = prefix.address.masked(length);
  w.u8(length);
  const nbytes = (length + 7) >> 3;
  for (let i = 0; i < nbytes; i++) w.u8((a.word(i >> 2) >>> (24 - 8 * (i & 3))) & 0xff);
}

/** An NLRI field; with `pathIds` (RFC 7911) each prefix is preceded by its 4-byte path identifier. */
export function writeNlri(
  w: ByteWriter,
  prefixes: readonly Prefix[],
  pathIds: readonly number[] | null,
): void {
  if (pathIds && pathIds.length !== prefixes.length) {
    throw new RangeError(`${pathIds.length} path ids for ${prefixes.length} prefixes`);
  }
  for (let i = 0; i < prefixes.length; i++) {
    if (pathIds) w.u32(pathIds[i]);
    writePrefix(w, prefixes[i]);
  }
}

/** Throws unless every prefix is of `family`: one NLRI field holds one address family. */
export function checkFamily(prefixes: readonly Prefix[], family: AddressFamily, where: string): void {
  for (const p of prefixes) {
    if (p.family !== family) throw new RangeError(`${where} holds IPv${family} prefixes, got ${p}`);
  }
}
