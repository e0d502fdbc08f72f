import {
  AS_SEQUENCE,
  AsPath,
  BgpRecord,
  Elem,
  IpAddress,
  PathAttributes,
  Prefix,
  type RecordStatus,
  type RecordType,
} from '@bgpstream-ts/core';

/** A made-up dump: `records` records, each with `perRecord` announcements sharing their attributes. */
export function syntheticDump(
  project: string,
  collector: string,
  type: RecordType,
  dumpTime: number,
  records: number,
  perRecord: number,
): BgpRecord[] {
  const out: BgpRecord[] = [];
  const peer = IpAddress.parse('192.0.2.1');
  for (let i = 0; i < records; i++) {
    const attrs = new PathAttributes();
    attrs.origin = 0;
    attrs.asPath = new AsPath([{ type: AS_SEQUENCE, asns: [64500, 4200000000 + i] }]);
    const rec = new BgpRecord(project, collector, type, dumpTime, dumpTime + i, 0, 'valid', 16, 4, [], null);
    for (let j = 0; j < perRecord; j++) {
      // Prefixes in descending order inside a record: the lake sorts them.
      const prefix = Prefix.parse(`10.${i % 256}.${255 - (j % 256)}.0/24`);
      rec.elems.push(
        new Elem(
          type === 'rib' ? 'R' : 'A',
          dumpTime + i,
          0,
          peer,
          64500,
          prefix,
          null,
          peer,
          attrs,
          0,
          0,
          0,
        ),
      );
    }
    rec.dumpPosition = i === 0 ? 'start' : i === records - 1 ? 'end' : 'middle';
    out.push(rec);
  }
  return out;
}

/** A record with no elems and the given status, as the reader makes for failures. */
export function statusRecord(
  project: string,
  collector: string,
  dumpTime: number,
  status: RecordStatus,
  position: 'start' | 'middle' | 'end' = 'end',
): BgpRecord {
  const rec = new BgpRecord(
    project,
    collector,
    'update',
    dumpTime,
    dumpTime,
    0,
    status,
    0,
    0,
    [],
    null,
    `${status} for a test`,
  );
  rec.dumpPosition = position;
  return rec;
}

/** Round-robin interleaving of several record lists. */
export function interleave<T>(...lists: T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++)
    for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}
