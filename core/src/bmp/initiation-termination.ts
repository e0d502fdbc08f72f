import { readBmpTlvs } from './bmp-header.js';
import { type BmpInformation, toInformation } from './peer-up.js';

/** Initiation information types (RFC 7854 4.4). */
export const INIT_STRING = 0;
export const INIT_SYS_DESCR = 1;
export const INIT_SYS_NAME = 2;
/** Termination information types (RFC 7854 4.5). */
export const TERM_STRING = 0;
export const TERM_REASON = 1;

const TERMINATION_REASONS: Record<number, string> = {
  0: 'administratively-closed',
  1: 'unspecified',
  2: 'out-of-resources',
  3: 'redundant-connection',
  4: 'permanently-administratively-closed',
};

export interface BmpInitiationBody {
  information: BmpInformation[];
  /** The last sysName TLV (the router's name), or null. */
  sysName: string | null;
  sysDescr: string | null;
  /** Free-form string TLVs (type 0), in order. */
  strings: string[];
}

export interface BmpTerminationBody {
  information: BmpInformation[];
  /** The reason TLV's code, or null without one. */
  reason: number | null;
  reasonName: string | null;
  strings: string[];
}

/** An Initiation message body: the TLVs after the common header. */
export function decodeInitiation(buf: Uint8Array, off: number, end: number): BmpInitiationBody {
  const information = toInformation(readBmpTlvs(buf, off, end, 'BMP initiation'), (t) => t <= 2);
  let sysName: string | null = null;
  let sysDescr: string | null = null;
  const strings: string[] = [];
  for (const i of information) {
    if (i.type === INIT_SYS_NAME) sysName = i.text;
    else if (i.type === INIT_SYS_DESCR) sysDescr = i.text;
    else if (i.type === INIT_STRING && i.text !== null) strings.push(i.text);
  }
  return { information, sysName, sysDescr, strings };
}

/** A Termination message body: the TLVs after the common header. */
export function decodeTermination(buf: Uint8Array, off: number, end: number): BmpTerminationBody {
  const information = toInformation(readBmpTlvs(buf, off, end, 'BMP termination'), (t) => t === TERM_STRING);
  let reason: number | null = null;
  const strings: string[] = [];
  for (const i of information) {
    if (i.type === TERM_REASON && i.value.length === 2) reason = (i.value[0] << 8) | i.value[1];
    else if (i.type === TERM_STRING && i.text !== null) strings.push(i.text);
  }
  return {
    information,
    reason,
    reasonName: reason === null ? null : (TERMINATION_REASONS[reason] ?? `reason-${reason}`),
    strings,
  };
}
