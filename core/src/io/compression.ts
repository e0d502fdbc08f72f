export type Compression = 'none' | 'gzip' | 'bzip2';

/** Enough bytes to tell bzip2 from a plain file that merely starts with "BZh". */
export const SNIFF_BYTES = 10;

const BZIP2_BLOCK_MAGIC = [0x31, 0x41, 0x59, 0x26, 0x53, 0x59];
const BZIP2_END_MAGIC = [0x17, 0x72, 0x45, 0x38, 0x50, 0x90];

/**
 * Sniffs the first bytes: gzip 1f 8b, bzip2 'BZh' + '1'..'9' + block magic 31 41 59 26 53 59 (or the
 * end-of-stream magic 17 72 45 38 50 90 for an empty bz2), else none.
 */
export function detectCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (
    head.length >= SNIFF_BYTES &&
    head[0] === 0x42 && // B
    head[1] === 0x5a && // Z
    head[2] === 0x68 && // h
    head[3] >= 0x31 && // block size '1'..'9'
    head[3] <= 0x39 &&
    (startsWithAt(head, 4, BZIP2_BLOCK_MAGIC) || startsWithAt(head, 4, BZIP2_END_MAGIC))
  ) {
    return 'bzip2';
  }
  return 'none';
}

function startsWithAt(bytes: Uint8Array, offset: number, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[offset + i] === b);
}
