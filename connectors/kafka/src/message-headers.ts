import type { IHeaders } from 'kafkajs';

// The message headers (names in @bgpstream-ts/schemas KAFKA_HEADERS; a test checks they agree).
// Written as object literals with fixed keys: they are made once per message, and kafkajs walks them.

/** The values every message of one record carries. */
export interface RecordHeaderValues {
  format: string;
  schemaVersion: string;
  project: string;
  collector: string;
  recordType: string;
  dumpTime: string;
  router: string | undefined;
  routerIp: string | undefined;
}

/** Bytes a header costs besides its name and value in a record batch (varint lengths), roughly. */
export const HEADER_OVERHEAD = 4;

const NAMES_BYTES =
  'bgpstream-format'.length +
  'bgpstream-schema-version'.length +
  'bgpstream-project'.length +
  'bgpstream-collector'.length +
  'bgpstream-record-type'.length +
  'bgpstream-dump-time'.length +
  'bgpstream-record-id'.length;

/** Size of the common headers (without the record id's value). */
export function headerValuesBytes(v: RecordHeaderValues): number {
  let n =
    NAMES_BYTES +
    7 * HEADER_OVERHEAD +
    v.format.length +
    v.schemaVersion.length +
    v.project.length +
    v.collector.length +
    v.recordType.length +
    v.dumpTime.length;
  if (v.router !== undefined) n += 16 + HEADER_OVERHEAD + v.router.length;
  if (v.routerIp !== undefined) n += 19 + HEADER_OVERHEAD + v.routerIp.length;
  return n;
}

function withRouter(h: Record<string, string>, v: RecordHeaderValues): IHeaders {
  if (v.router !== undefined) h['bgpstream-router'] = v.router;
  if (v.routerIp !== undefined) h['bgpstream-router-ip'] = v.routerIp;
  return h;
}

/** The headers of a json message (one elem). */
export function messageHeaders(v: RecordHeaderValues, recordId: string): IHeaders {
  const h: Record<string, string> = {
    'bgpstream-format': v.format,
    'bgpstream-schema-version': v.schemaVersion,
    'bgpstream-project': v.project,
    'bgpstream-collector': v.collector,
    'bgpstream-record-type': v.recordType,
    'bgpstream-dump-time': v.dumpTime,
    'bgpstream-record-id': recordId,
  };
  return v.router === undefined && v.routerIp === undefined ? h : withRouter(h, v);
}

/** The headers of an mrt message (one record). */
export function mrtHeaders(
  v: RecordHeaderValues,
  recordId: string,
  time: string,
  dumpPosition: string,
  status: string,
): IHeaders {
  const h: Record<string, string> = {
    'bgpstream-format': v.format,
    'bgpstream-schema-version': v.schemaVersion,
    'bgpstream-project': v.project,
    'bgpstream-collector': v.collector,
    'bgpstream-record-type': v.recordType,
    'bgpstream-dump-time': v.dumpTime,
    'bgpstream-record-id': recordId,
    'bgpstream-time': time,
    'bgpstream-dump-position': dumpPosition,
    'bgpstream-status': status,
  };
  return v.router === undefined && v.routerIp === undefined ? h : withRouter(h, v);
}

export function mrtHeaderExtraBytes(
  recordId: string,
  time: string,
  dumpPosition: string,
  status: string,
): number {
  return (
    recordId.length + 14 + time.length + 23 + dumpPosition.length + 16 + status.length + 3 * HEADER_OVERHEAD
  );
}

/** The headers of an arrow message (one batch of rows of one dump). */
export function arrowHeaders(v: RecordHeaderValues, firstId: string, lastId: string, rows: number): IHeaders {
  const h: Record<string, string> = {
    'bgpstream-format': v.format,
    'bgpstream-schema-version': v.schemaVersion,
    'bgpstream-project': v.project,
    'bgpstream-collector': v.collector,
    'bgpstream-record-type': v.recordType,
    'bgpstream-dump-time': v.dumpTime,
    'bgpstream-record-id': firstId,
    'bgpstream-record-id-last': lastId,
    'bgpstream-rows': String(rows),
  };
  return v.router === undefined && v.routerIp === undefined ? h : withRouter(h, v);
}
