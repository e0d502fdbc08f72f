import { AsPath, type AsPathSegment } from '../../model/as-path.js';
import { type Aggregator, PathAttributes } from '../../model/path-attributes.js';
import { decodeOrigin } from './attr-01-origin.js';
import { decodeAsPath, decodeAsPathSegments, mergeAs4Path } from './attr-02-17-as-path.js';
import { decodeNextHop } from './attr-03-next-hop.js';
import { decodeMed } from './attr-04-med.js';
import { decodeLocalPref } from './attr-05-local-pref.js';
import { decodeAtomicAggregate } from './attr-06-atomic-aggregate.js';
import { decodeAggregator, decodeAs4Aggregator } from './attr-07-18-aggregator.js';
import { decodeCommunities } from './attr-08-communities.js';
import { decodeOriginatorId } from './attr-09-originator-id.js';
import { decodeClusterList } from './attr-10-cluster-list.js';
import { decodeMpReach } from './attr-14-mp-reach-nlri.js';
import { decodeMpUnreach } from './attr-15-mp-unreach-nlri.js';
import { decodeExtendedCommunities } from './attr-16-extended-communities.js';
import { decodeLargeCommunities } from './attr-32-large-communities.js';
import { decodeOnlyToCustomer } from './attr-35-only-to-customer.js';
import type { AttributeContext, DecodedAttributes, MpReach, MpUnreach } from './attribute-context.js';

const AS_TRANS = 23456;
const FLAG_EXTENDED_LENGTH = 0x10;

/**
 * Decodes a path-attribute block. Malformed attributes are handled in the
 * spirit of RFC 7606: a bad value is dropped and noted in `errors`, a
 * repeated attribute keeps its first copy, and a length that runs past the
 * block ends attribute parsing (noted) while what was read stays. Only an
 * unreadable MP_REACH/MP_UNREACH throws, since its NLRI cannot be trusted.
 */
export function decodePathAttributes(
  buf: Uint8Array,
  off: number,
  end: number,
  ctx: AttributeContext,
): DecodedAttributes {
  const attrs = new PathAttributes();
  let mpReach: MpReach | null = null;
  let mpUnreach: MpUnreach | null = null;
  let asPath: AsPathSegment[] | null = null;
  let as4Path: AsPathSegment[] | null = null;
  let aggregator: Aggregator | null = null;
  let as4Aggregator: Aggregator | null = null;
  // Type codes already seen: a bit each for 0..63 (every attribute in use), a Set beyond. A typed
  // array here would be an ArrayBuffer per message, which costs the garbage collector dearly.
  let seenLow = 0;
  let seenHigh = 0;
  let seenOther: Set<number> | null = null;
  let p = off;
  while (p < end) {
    if (p + 3 > end) {
      attrs.addError('attribute header truncated');
      break;
    }
    const flags = buf[p];
    const type = buf[p + 1];
    let len: number;
    if (flags & FLAG_EXTENDED_LENGTH) {
      if (p + 4 > end) {
        attrs.addError('attribute header truncated');
        break;
      }
      len = (buf[p + 2] << 8) | buf[p + 3];
      p += 4;
    } else {
      len = buf[p + 2];
      p += 3;
    }
    if (p + len > end) {
      attrs.addError(`attribute ${type} length ${len} runs past the attribute block`);
      break;
    }
    let repeated: boolean;
    if (type < 32) {
      repeated = (seenLow & (1 << type)) !== 0;
      seenLow |= 1 << type;
    } else if (type < 64) {
      repeated = (seenHigh & (1 << (type - 32))) !== 0;
      seenHigh |= 1 << (type - 32);
    } else {
      seenOther ??= new Set();
      repeated = seenOther.has(type);
      seenOther.add(type);
    }
    if (repeated) {
      attrs.addError(`attribute ${type} repeated; first kept`);
      p += len;
      continue;
    }
    switch (type) {
      case 1:
        decodeOrigin(buf, p, len, attrs);
        break;
      case 2:
        asPath = decodeAsPath(buf, p, len, ctx.asSize);
        if (!asPath) attrs.addError('AS_PATH malformed');
        break;
      case 3:
        decodeNextHop(buf, p, len, attrs);
        break;
      case 4:
        decodeMed(buf, p, len, attrs);
        break;
      case 5:
        decodeLocalPref(buf, p, len, attrs);
        break;
      case 6:
        decodeAtomicAggregate(len, attrs);
        break;
      case 7:
        aggregator = decodeAggregator(buf, p, len, attrs);
        break;
      case 8:
        decodeCommunities(buf, p, len, attrs);
        break;
      case 9:
        decodeOriginatorId(buf, p, len, attrs);
        break;
      case 10:
        decodeClusterList(buf, p, len, attrs);
        break;
      case 14:
        mpReach = decodeMpReach(buf, p, len, attrs, ctx);
        break;
      case 15:
        mpUnreach = decodeMpUnreach(buf, p, len, ctx);
        break;
      case 16:
        decodeExtendedCommunities(buf, p, len, attrs);
        break;
      case 17:
        as4Path = decodeAsPathSegments(buf, p, len, 4);
        if (!as4Path) attrs.addError('AS4_PATH malformed');
        break;
      case 18:
        as4Aggregator = decodeAs4Aggregator(buf, p, len, attrs);
        break;
      case 32:
        decodeLargeCommunities(buf, p, len, attrs);
        break;
      case 35:
        decodeOnlyToCustomer(buf, p, len, attrs);
        break;
      default:
        attrs.unknown = [...attrs.unknown, { flags, type, data: buf.slice(p, p + len) }];
    }
    p += len;
  }
  // RFC 6793: AS4_PATH only means something next to a 2-byte AS_PATH.
  if (asPath && as4Path && ctx.asSize === 2) attrs.asPath = mergeAs4Path(asPath, as4Path);
  else if (asPath) attrs.asPath = new AsPath(asPath);
  else if (as4Path) attrs.asPath = new AsPath(as4Path);
  attrs.aggregator =
    aggregator && !(aggregator.asn === AS_TRANS && as4Aggregator) ? aggregator : as4Aggregator;
  return { attributes: attrs, mpReach, mpUnreach };
}
