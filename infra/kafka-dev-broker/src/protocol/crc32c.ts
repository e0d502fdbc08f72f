/**
 * CRC-32C (Castagnoli), as used by the RecordBatch v2 `crc` field.
 *
 * Reflected polynomial 0x82F63B78, initial value 0xFFFFFFFF, final XOR 0xFFFFFFFF.
 * Check value: crc32c("123456789") === 0xE3069283.
 */

const POLYNOMIAL = 0x82f63b78;

/** 8 tables of 256 entries for slicing-by-8; table 0 is the classic byte-at-a-time table. */
const TABLES: Uint32Array[] = (() => {
  const tables: Uint32Array[] = [];
  const t0 = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    }
    t0[n] = c >>> 0;
  }
  tables.push(t0);
  for (let t = 1; t < 8; t++) {
    const prev = tables[t - 1];
    const cur = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      cur[n] = ((prev[n] >>> 8) ^ t0[prev[n] & 0xff]) >>> 0;
    }
    tables.push(cur);
  }
  return tables;
})();

/** Continues a CRC-32C over `data[start, end)`; pass the previous result as `crc` (default: a fresh CRC). */
export function crc32c(data: Uint8Array, start = 0, end = data.length, crc = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES;
  let c = ~crc >>> 0;
  let i = start;
  // Slicing-by-8: eight bytes per step.
  while (end - i >= 8) {
    const a = (c ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24))) >>> 0;
    c =
      t7[a & 0xff] ^
      t6[(a >>> 8) & 0xff] ^
      t5[(a >>> 16) & 0xff] ^
      t4[a >>> 24] ^
      t3[data[i + 4]] ^
      t2[data[i + 5]] ^
      t1[data[i + 6]] ^
      t0[data[i + 7]];
    i += 8;
  }
  while (i < end) {
    c = t0[(c ^ data[i]) & 0xff] ^ (c >>> 8);
    i++;
  }
  return ~c >>> 0;
}
