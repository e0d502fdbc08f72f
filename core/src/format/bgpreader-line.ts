import { type Elem, peerStateName } from '../model/elem.js';
import type { BgpRecord, DumpPosition, RecordStatus } from '../model/record.js';

const STATUS_CHARS: Record<RecordStatus, string> = {
  valid: 'V',
  'filtered-source': 'F',
  'empty-source': 'E',
  'outside-time-interval': 'O',
  'corrupted-source': 'S',
  'corrupted-record': 'R',
  'unsupported-record': 'U',
};

const POSITION_CHARS: Record<DumpPosition, string> = { start: 'B', middle: 'M', end: 'E' };

function timeText(record: BgpRecord): string {
  return `${record.timeSec}.${String(record.timeUsec).padStart(6, '0')}`;
}

function recordHead(record: BgpRecord): string {
  return `${record.project}|${record.collector}|${record.router}|${record.routerIp?.toString() ?? ''}`;
}

/** bgpreader `-r`: `type|pos|time|project|collector|router|router-ip|status|dump-time`. */
export function bgpreaderRecordLine(record: BgpRecord): string {
  return `${record.type === 'rib' ? 'R' : 'U'}|${POSITION_CHARS[record.dumpPosition]}|${timeText(record)}|${recordHead(record)}|${STATUS_CHARS[record.status]}|${record.dumpTime}`;
}

/** bgpreader `-e`: the 16-field elem line. */
export function bgpreaderElemLine(record: BgpRecord, elem: Elem): string {
  const head = `${record.type === 'rib' ? 'R' : 'U'}|${elem.type}|${timeText(record)}|${recordHead(record)}|${elem.peerAsn}|${elem.peerAddress?.toString() ?? ''}`;
  switch (elem.type) {
    case 'S':
      return `${head}||||||${peerStateName(elem.oldState)}|${peerStateName(elem.newState)}`;
    case 'W':
      return `${head}|${elem.prefix}||||||`;
    default: {
      const attrs = elem.attributes!;
      return `${head}|${elem.prefix}|${elem.nextHop?.toString() ?? ''}|${attrs.asPath}|${elem.originAsnText}|${attrs.communitiesString()}||`;
    }
  }
}

const ORIGINS = ['IGP', 'EGP', 'INCOMPLETE'];

/**
 * bgpreader `-m`: BGPStream's own bgpdump-style line, which differs from
 * bgpdump's: `TABLE_DUMP2` for every RIB elem, `BGP4MP` for the rest, whole
 * seconds, no path id, an empty origin when the attribute is absent.
 */
export function bgpreaderBgpdumpLine(record: BgpRecord, elem: Elem): string {
  const peer = `${elem.peerAddress?.toString() ?? ''}|${elem.peerAsn}`;
  switch (elem.type) {
    case 'S':
      return `BGP4MP|${record.timeSec}|STATE|${peer}|${elem.oldState}|${elem.newState}`;
    case 'W':
      return `BGP4MP|${record.timeSec}|W|${peer}|${elem.prefix}`;
    default: {
      const a = elem.attributes!;
      const label = elem.type === 'R' ? 'TABLE_DUMP2' : 'BGP4MP';
      const letter = elem.type === 'R' ? 'B' : 'A';
      const ag = a.aggregator ? `${a.aggregator.asn} ${a.aggregator.address}` : '';
      return `${label}|${record.timeSec}|${letter}|${peer}|${elem.prefix}|${a.asPath}|${ORIGINS[a.origin] ?? ''}|${elem.nextHop?.toString() ?? ''}|${a.localPref ?? 0}|${a.med ?? 0}|${a.communitiesString()}|${a.atomicAggregate ? 'AG' : 'NAG'}|${ag}|`;
    }
  }
}
