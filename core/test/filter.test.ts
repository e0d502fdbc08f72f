import { describe, expect, it } from 'vitest';
import { compileAsPathRegex, MAX_CONVERTED_LENGTH } from '../src/filter/aspath-regex.js';
import { FilterError } from '../src/filter/filter-error.js';
import { FilterSet } from '../src/filter/filter-set.js';
import { parseFilterString } from '../src/filter/filter-string.js';
import { bgpreaderElemLine } from '../src/format/bgpreader-line.js';
import { IpAddress } from '../src/model/address.js';
import { AS_CONFED_SEQUENCE, AS_SEQUENCE, AS_SET, AsPath, type AsPathSegment } from '../src/model/as-path.js';
import { Elem, type ElemType } from '../src/model/elem.js';
import { PathAttributes } from '../src/model/path-attributes.js';
import { Prefix } from '../src/model/prefix.js';
import { BgpRecord } from '../src/model/record.js';
import { readMrt } from '../src/mrt/read-mrt.js';
import { haveSamples, noSamplesMessage, samplePath } from './helpers/samples.js';

// ---------------------------------------------------------------------------
// Helpers

const EXAMPLE_4 =
  'collector rrc06 route-views.jinx and type updates and peer 25152 37105 and prefix 2620:110:9004::/40 154.73.128.0/17 202.70.88.0/21 and comm "2914:*" *:300';

interface ElemInit {
  type?: ElemType;
  peerAsn?: number;
  prefix?: string | Prefix | null;
  path?: readonly AsPathSegment[] | string;
  communities?: readonly string[];
  noAttributes?: boolean;
}

function seq(...asns: number[]): AsPathSegment {
  return { type: AS_SEQUENCE, asns };
}

function makeElem(init: ElemInit = {}): Elem {
  const type = init.type ?? 'A';
  let attributes: PathAttributes | null = null;
  if (!init.noAttributes && type !== 'S') {
    attributes = new PathAttributes();
    const path = init.path ?? '65000 3356 13335';
    attributes.asPath = new AsPath(
      typeof path === 'string' ? (path === '' ? [] : [seq(...path.split(' ').map(Number))]) : path,
    );
    attributes.communities = (init.communities ?? ['65000:1']).map((c) => {
      const [a, v] = c.split(':').map(Number);
      return ((a << 16) | v) >>> 0;
    });
  }
  const prefix =
    type === 'S'
      ? null
      : init.prefix === undefined
        ? Prefix.parse('10.0.0.0/16')
        : typeof init.prefix === 'string'
          ? Prefix.parse(init.prefix)
          : init.prefix;
  return new Elem(
    type,
    1427846850,
    0,
    IpAddress.parse('192.0.2.1'),
    init.peerAsn ?? 65000,
    prefix,
    null,
    null,
    attributes,
    type === 'S' ? 1 : 0,
    type === 'S' ? 6 : 0,
    0,
  );
}

/** The FilterError thrown by `fn`. */
function errorOf(fn: () => unknown): FilterError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FilterError);
    return err as FilterError;
  }
  throw new Error('expected a FilterError');
}

function parseError(text: string): FilterError {
  return errorOf(() => parseFilterString(text));
}

function prefixesOf(set: FilterSet): string[] {
  return set.prefixes.map((p) => `${p.specificity} ${p.prefix}`);
}

function communitiesOf(set: FilterSet): string[] {
  return set.communities.map((c) => `${c.asn ?? '*'}:${c.value ?? '*'}`);
}

function passes(filter: string, init: ElemInit): boolean {
  return parseFilterString(filter).matchElem(makeElem(init));
}

// ---------------------------------------------------------------------------
// The language (spec 1)

describe('filter strings: the examples of spec 1.5', () => {
  it('#1 collector rrc00 and type updates', () => {
    const s = parseFilterString('collector rrc00 and type updates');
    expect([...s.collectors]).toEqual(['rrc00']);
    expect([...s.recordTypes]).toEqual(['update']);
    expect(s.hasElemFilters).toBe(false);
  });

  it('#2 prefix more (host bits masked) and two collectors', () => {
    const s = parseFilterString('prefix more 1.2.3.0/22 and collector rrc06 route-views.jinx');
    expect(prefixesOf(s)).toEqual(['more 1.2.0.0/22']);
    expect([...s.collectors]).toEqual(['rrc06', 'route-views.jinx']);
  });

  it('#3 ipversion, peer and a quoted path', () => {
    const s = parseFilterString('ipversion 6 and peer 25152 and path "_4554_"');
    expect(s.ipVersion).toBe(6);
    expect([...s.peerAsns]).toEqual([25152]);
    expect(s.aspaths.map((a) => [a.pattern, a.negated])).toEqual([['_4554_', false]]);
  });

  it('#4 the bgpstream-test-filters string', () => {
    const s = parseFilterString(EXAMPLE_4);
    expect([...s.collectors]).toEqual(['rrc06', 'route-views.jinx']);
    expect([...s.recordTypes]).toEqual(['update']);
    expect([...s.peerAsns]).toEqual([25152, 37105]);
    expect(prefixesOf(s)).toEqual(['more 2620:110:9000::/40', 'more 154.73.128.0/17', 'more 202.70.88.0/21']);
    expect(communitiesOf(s)).toEqual(['2914:*', '*:300']);
    expect(s.projects.size + s.routers.size + s.resourceTypes.size + s.notPeerAsns.size).toBe(0);
  });

  it('#5 three specificities', () => {
    const s = parseFilterString('pref exact 8.8.8.0/24 less 10.0.0.0/24 any 192.168.0.0/16');
    expect(prefixesOf(s)).toEqual(['exact 8.8.8.0/24', 'less 10.0.0.0/24', 'any 192.168.0.0/16']);
  });

  it('#6 the specificity carries over', () => {
    const s = parseFilterString('prefix less 10.1.0.0/16 10.2.0.0/16');
    expect(prefixesOf(s)).toEqual(['less 10.1.0.0/16', 'less 10.2.0.0/16']);
  });

  it('#7 elemtype and ipv', () => {
    const s = parseFilterString('elemtype announcements withdrawals and ipv 4');
    expect([...s.elemTypes]).toEqual(['A', 'W']);
    expect(s.ipVersion).toBe(4);
  });

  it('#8 two paths, one negated', () => {
    const s = parseFilterString('path "^3356 " and path !_174_');
    expect(s.aspaths.map((a) => [a.pattern, a.negated])).toEqual([
      ['^3356 ', false],
      ['!_174_', true],
    ]);
    expect(s.matchElem(makeElem({ path: '3356 1299 13335' }))).toBe(true);
    expect(s.matchElem(makeElem({ path: '3356 174 13335' }))).toBe(false);
    expect(s.matchElem(makeElem({ path: '1299 3356 13335' }))).toBe(false);
  });

  it('#9 origin and type ribs', () => {
    const s = parseFilterString('origin 13335 and type ribs');
    expect([...s.originAsns]).toEqual([13335]);
    expect([...s.recordTypes]).toEqual(['rib']);
  });

  it('#10 comm *:*', () => {
    const s = parseFilterString('comm *:*');
    expect(communitiesOf(s)).toEqual(['*:*']);
    expect(s.matchElem(makeElem({ communities: ['1:2'] }))).toBe(true);
    expect(s.matchElem(makeElem({ communities: [] }))).toBe(false);
  });

  it('#11 project, collectors and resource type', () => {
    const s = parseFilterString('proj ris and coll rrc00 rrc01 and restype batch');
    expect([...s.projects]).toEqual(['ris']);
    expect([...s.collectors]).toEqual(['rrc00', 'rrc01']);
    expect([...s.resourceTypes]).toEqual(['batch']);
  });

  it('#12 a quoted router name with a space', () => {
    expect([...parseFilterString('router "my router"').routers]).toEqual(['my router']);
  });

  it('#13 gotcha: term names after a value are more values', () => {
    const s = parseFilterString('collector rrc00 type updates');
    expect([...s.collectors]).toEqual(['rrc00', 'type', 'updates']);
    expect(s.recordTypes.size).toBe(0);
  });

  it('#14 gotcha: ipv 4 6 is IPv6 only (last wins)', () => {
    const s = parseFilterString('ipv 4 6');
    expect(s.ipVersion).toBe(6);
    expect(s.matchElem(makeElem({ prefix: '10.0.0.0/8' }))).toBe(false);
    expect(s.matchElem(makeElem({ prefix: '2001:db8::/32' }))).toBe(true);
  });
});

describe('filter strings: the error cases of spec 1.5', () => {
  const cases: [string, string, string, number, string][] = [
    ['E1', 'type rib', `record-type filter must be one of "ribs" or "updates", found 'rib'`, 5, 'rib'],
    ['E2', 'collector a or collector b', "'or' is not yet implemented", 12, 'or'],
    ['E3', 'path _1_ _2_', "term 'aspath' does not allow multiple values", 9, '_2_'],
    ['E4', 'peer 1 and peer 2', "Term 'peer' used more than once", 11, 'peer'],
    ['E5', 'prefix more', 'Expected argument, found end of string', 11, ''],
    ['E6', 'comm 70000:1', "invalid community '70000:1'", 5, '70000:1'],
    ['E7', 'extc 1:2', 'Implementation of filter type Extended Community is still to come!', 5, '1:2'],
  ];
  for (const [name, text, message, position, token] of cases) {
    it(`${name}: ${text}`, () => {
      const err = parseError(text);
      expect(err.message).toContain(message);
      expect(err.message.endsWith(` at position ${position}`)).toBe(true);
      expect(err.position).toBe(position);
      expect(err.token).toBe(token);
    });
  }

  it('other errors: unknown term, premature ends, bad values', () => {
    expect(parseError('collector a and colector b').message).toBe(
      "Expected a valid term, found 'colector' at position 16",
    );
    expect(parseError('').message).toBe('Expected term, found end of string at position 0');
    expect(parseError('   ').position).toBe(3);
    expect(parseError('collector a and').message).toBe('Expected term, found end of string at position 15');
    expect(parseError('collector a and ').message).toContain('Expected term, found end of string');
    expect(parseError('type').message).toBe('Expected argument, found end of string at position 4');
    expect(parseError('prefix').message).toContain('Expected argument');
    expect(parseError('prefix 1.0.0.0/8 more').message).toBe(
      'Expected argument, found end of string at position 21',
    );
    expect(parseError('peer 1 x').message).toBe("invalid ASN 'x' for peer-asn at position 7");
    expect(parseError('peer 4294967296').token).toBe('4294967296');
    expect(parseFilterString('peer 4294967295').peerAsns.has(4294967295)).toBe(true);
    expect(parseError('origin -1').message).toContain("invalid ASN '-1'");
    expect(parseError('ipv 5').message).toBe("Unknown IP version '5' at position 4");
    expect(parseError('elemtype announcement').position).toBe(9);
    expect(parseError('restype file').message).toContain('resource-type');
    expect(parseError('prefix 1.2.3.0').message).toBe(
      "invalid prefix '1.2.3.0' for prefix-more at position 7",
    );
    expect(parseError('prefix exact 1.2.3.0/33').message).toContain('for prefix-exact');
    expect(parseError('prefix any 2001:db8::/129').position).toBe(11);
    expect(parseError('collector a or').token).toBe('or');
    expect(parseError('path (1').message).toContain("invalid AS path regex '(1'");
    expect(parseError('extcommunity 1:2').message).toContain('still to come');
  });

  it('`prefix more and` tries `and` as a prefix', () => {
    const err = parseError('prefix more and collector a');
    expect(err.message).toBe("invalid prefix 'and' for prefix-more at position 12");
    // Right after the term too.
    expect(parseError('prefix and').token).toBe('and');
    // A specificity word right after another one is a value.
    expect(parseError('prefix more less 1.0.0.0/8').token).toBe('less');
  });
});

describe('filter strings: tokens and quoting', () => {
  it('splits on spaces only: a tab inside a token does not split it (reference quirk)', () => {
    const err = parseError('project\tris');
    expect(err.message).toBe("Expected a valid term, found 'project\tris' at position 0");
    expect(err.token).toBe('project\tris');
    // After a value the tab-joined token is another value.
    expect([...parseFilterString('collector rrc00\tand type updates').collectors]).toEqual([
      'rrc00\tand',
      'type',
      'updates',
    ]);
    expect([...parseFilterString('project ris\t').projects]).toEqual(['ris\t']);
  });

  it('skips any white space before a token', () => {
    const s = parseFilterString('\t project \t ris \n\t and \t collector  rrc00 ');
    expect([...s.projects]).toEqual(['ris']);
    expect([...s.collectors]).toEqual(['rrc00']);
    expect([...parseFilterString('  collector   rrc00   rrc01  ').collectors]).toEqual(['rrc00', 'rrc01']);
  });

  it('a quoted value runs to the next quote, spaces included, quotes stripped', () => {
    expect([...parseFilterString('router "my  big router" rtr2').routers]).toEqual([
      'my  big router',
      'rtr2',
    ]);
    expect(communitiesOf(parseFilterString('comm "2914:*" "*:300"'))).toEqual(['2914:*', '*:300']);
    expect([...parseFilterString('project ""').projects]).toEqual(['']);
    expect(parseFilterString('path "_1 2_"').aspaths[0].pattern).toBe('_1 2_');
  });

  it('quoting turns keywords into values', () => {
    expect([...parseFilterString('collector a "and" b').collectors]).toEqual(['a', 'and', 'b']);
    expect([...parseFilterString('collector a "or"').collectors]).toEqual(['a', 'or']);
    expect(parseError('prefix "more" 1.0.0.0/8').message).toBe(
      "invalid prefix 'more' for prefix-more at position 7",
    );
    expect(parseError('prefix 1.0.0.0/8 "exact" 2.0.0.0/8').token).toBe('exact');
  });

  it('term names cannot be quoted', () => {
    expect(parseError('"project" ris').message).toBe(
      `Expected a valid term, found '"project"' at position 0`,
    );
    expect(parseError('collector a and "type" updates').position).toBe(16);
  });

  it('a missing closing quote', () => {
    const err = parseError('collector a and router "my router');
    expect(err.message).toBe('Missing closing quote at position 23');
    expect(err.token).toBe('"my router');
  });

  it('garbage after a closing quote (anything but a space or the end)', () => {
    const err = parseError('router "my router"x and type updates');
    expect(err.message).toBe(`Found garbage after quoted "my router": 'x' at position 18`);
    expect(err.token).toBe('x');
    expect(parseError('router "a"\tb').position).toBe(10);
    expect(parseError('comm "1:2""3:4"').message).toContain('Found garbage after quoted "1:2"');
  });
});

describe('filter strings: repeat rules and aliases', () => {
  it('a once-term cannot be repeated, aliases included', () => {
    const pairs: [string, string][] = [
      ['project', 'proj'],
      ['collector', 'coll'],
      ['router', 'rout'],
      ['resourcetype', 'restype'],
      ['origin', 'orig'],
      ['community', 'comm'],
      ['ipversion', 'ipv'],
    ];
    const values: Record<string, string> = {
      resourcetype: 'batch',
      origin: '1',
      community: '1:1',
      ipversion: '4',
    };
    for (const [name, alias] of pairs) {
      const v = values[name] ?? 'x';
      for (const [a, b] of [
        [name, alias],
        [alias, name],
        [alias, alias],
        [name, name],
      ]) {
        const text = `${a} ${v} and ${b} ${v}`;
        const err = parseError(text);
        expect(err.message).toBe(`Term '${name}' used more than once at position ${a.length + v.length + 6}`);
        expect(err.token).toBe(b);
      }
    }
    expect(parseError('pref 1.0.0.0/8 and prefix 2.0.0.0/8').message).toContain("Term 'prefix' used more");
    expect(parseError('type ribs and type updates').message).toContain("Term 'type' used more");
    expect(parseError('elemtype ribs and elemtype peerstates').message).toContain("Term 'elemtype'");
    expect(parseError('coll a and collector b').message).toBe(
      "Term 'collector' used more than once at position 11",
    );
  });

  it('aspath/path may repeat (one value each); all must hold', () => {
    const s = parseFilterString('path _1_ and aspath _2_ and path !_3_');
    expect(s.aspaths.map((a) => a.pattern)).toEqual(['_1_', '_2_', '!_3_']);
    expect(s.matchElem(makeElem({ path: '1 2 4' }))).toBe(true);
    expect(s.matchElem(makeElem({ path: '1 4' }))).toBe(false);
    expect(s.matchElem(makeElem({ path: '1 2 3' }))).toBe(false);
    expect(parseError('aspath _1_ "x"').message).toContain("term 'aspath' does not allow multiple values");
  });
});

describe('filter strings are applied atomically', () => {
  it('a string failing after valid clauses installs nothing', () => {
    const set = new FilterSet();
    set.addFilter('peer-asn', '1');
    for (const bad of [
      'collector a and peer x',
      'collector a and type ribs and prefix 1.0.0.0/8 and comm 1:1 and path _1_ and ipv 7',
      'collector a and collector b',
      'collector a and project "b',
    ]) {
      expect(() => set.merge(parseFilterString(bad))).toThrow(FilterError);
    }
    expect(set.toString()).toBe('peer 1');
    expect(set.collectors.size).toBe(0);
    set.merge(parseFilterString('collector a and peer 2'));
    expect([...set.peerAsns]).toEqual([1, 2]);
    expect([...set.collectors]).toEqual(['a']);
  });

  it('merge accumulates like the reference (OR per type; ipversion last; aspath AND)', () => {
    const set = parseFilterString('ipv 4 and path _1_ and comm 0:300 and prefix exact 10.0.0.0/8');
    set.merge(parseFilterString('ipv 6 and path _2_ and comm *:300 and prefix less 10.0.0.0/8'));
    expect(set.ipVersion).toBe(6);
    expect(set.aspaths).toHaveLength(2);
    expect(communitiesOf(set)).toEqual(['*:300']);
    expect(prefixesOf(set)).toEqual(['less 10.0.0.0/8']);
  });

  it('toString prints an equivalent filter string', () => {
    const s = parseFilterString(EXAMPLE_4);
    expect(s.toString()).toBe(
      'collector rrc06 route-views.jinx and type updates and peer 25152 37105 and prefix more 2620:110:9000::/40 more 154.73.128.0/17 more 202.70.88.0/21 and community 2914:* *:300',
    );
    expect(parseFilterString(s.toString()).toString()).toBe(s.toString());
    expect(new FilterSet().toString()).toBe('(no filters)');
    const t = parseFilterString('router "my router" and path "^1 2" and elemtype ribs peerstates and ipv 6');
    expect(parseFilterString(t.toString()).toString()).toBe(t.toString());
  });
});

// ---------------------------------------------------------------------------
// addFilter (the API names)

describe('FilterSet.addFilter', () => {
  it('accepts the pybgpstream/API names', () => {
    const s = new FilterSet();
    s.addFilter('project', 'ris');
    s.addFilter('collector', 'rrc00');
    s.addFilter('router', 'r1');
    s.addFilter('record-type', 'updates');
    s.addFilter('resource-type', 'stream');
    s.addFilter('peer-asn', '1');
    s.addFilter('not-peer-asn', '2');
    s.addFilter('origin-asn', '3');
    s.addFilter('prefix', '1.0.0.0/8');
    s.addFilter('prefix-exact', '2.0.0.0/8');
    s.addFilter('prefix-more', '3.0.0.0/8');
    s.addFilter('prefix-less', '4.0.0.0/8');
    s.addFilter('prefix-any', '5.0.0.0/8');
    s.addFilter('community', '1:*');
    s.addFilter('aspath', '_1_');
    s.addFilter('ipversion', '4');
    s.addFilter('elemtype', 'announcements');
    expect(prefixesOf(s)).toEqual([
      'more 1.0.0.0/8',
      'exact 2.0.0.0/8',
      'more 3.0.0.0/8',
      'less 4.0.0.0/8',
      'any 5.0.0.0/8',
    ]);
    expect([...s.notPeerAsns]).toEqual([2]);
    expect([...s.originAsns]).toEqual([3]);
    expect([...s.resourceTypes]).toEqual(['stream']);
    expect(s.hasElemFilters).toBe(true);
  });

  it('names the bad value and adds nothing', () => {
    const s = new FilterSet();
    const err = errorOf(() => s.addFilter('peer-asn', 'x'));
    expect(err.message).toBe("invalid ASN 'x' for peer-asn");
    expect(err.token).toBe('x');
    expect(err.position).toBeUndefined();
    expect(errorOf(() => s.addFilter('not-peer-asn', '')).message).toBe("invalid ASN '' for not-peer-asn");
    expect(errorOf(() => s.addFilter('origin-asn', '1.5')).message).toContain('origin-asn');
    expect(errorOf(() => s.addFilter('prefix', '10.0.0.0')).message).toBe(
      "invalid prefix '10.0.0.0' for prefix",
    );
    expect(errorOf(() => s.addFilter('ipversion', 'v4')).message).toBe("Unknown IP version 'v4'");
    expect(errorOf(() => s.addFilter('record-type', 'rib')).token).toBe('rib');
    expect(errorOf(() => s.addFilter('record-type', 'constructor')).token).toBe('constructor');
    expect(errorOf(() => s.addFilter('elemtype', 'toString')).token).toBe('toString');
    expect(errorOf(() => s.addFilter('resource-type', 'file')).token).toBe('file');
    expect(errorOf(() => s.addFilter('community', '1:2:3')).message).toContain("invalid community '1:2:3'");
    expect(errorOf(() => s.addFilter('aspath', '[12')).message).toContain('unmatched');
    expect(errorOf(() => s.addFilter('extcommunity', '1:2')).message).toBe(
      "unknown filter type 'extcommunity'",
    );
    expect(s.isEmpty).toBe(true);
  });

  it('ASNs are C strtoul decimals within 32 bits', () => {
    const s = new FilterSet();
    s.addFilter('peer-asn', '+7');
    s.addFilter('peer-asn', '007');
    s.addFilter('peer-asn', '4294967295');
    expect([...s.peerAsns]).toEqual([7, 4294967295]);
    for (const bad of ['4294967296', '-1', '1e3', '0x10', '12a', ' ']) {
      expect(() => s.addFilter('peer-asn', bad)).toThrow(FilterError);
    }
  });
});

// ---------------------------------------------------------------------------
// Semantics (spec 2)

describe('the per-elem checks and their consequences (spec 2.3)', () => {
  const types: ElemType[] = ['R', 'A', 'W', 'S'];
  const survivors = (filter: string): ElemType[] => {
    const s = parseFilterString(filter);
    // W keeps the attributes here, so that only its type can make it fail.
    return types.filter((type) =>
      s.matchElem(
        makeElem({ type, path: '65000 3356 13335', communities: ['3356:1'], prefix: '10.1.0.0/16' }),
      ),
    );
  };

  it('origin, aspath and community remove W and S', () => {
    expect(survivors('origin 13335')).toEqual(['R', 'A']);
    expect(survivors('path _3356_')).toEqual(['R', 'A']);
    expect(survivors('path !_174_')).toEqual(['R', 'A']);
    expect(survivors('comm *:*')).toEqual(['R', 'A']);
    expect(survivors('comm 3356:1')).toEqual(['R', 'A']);
  });

  it('ipversion and prefix remove S', () => {
    expect(survivors('ipv 4')).toEqual(['R', 'A', 'W']);
    expect(survivors('prefix any 0.0.0.0/0')).toEqual(['R', 'A', 'W']);
    expect(survivors('prefix less 10.1.0.0/16')).toEqual(['R', 'A', 'W']);
  });

  it('peer and not-peer apply to every type', () => {
    expect(survivors('peer 65000')).toEqual(types);
    expect(survivors('peer 1')).toEqual([]);
    const s = new FilterSet();
    s.addFilter('not-peer-asn', '65000');
    expect(types.filter((type) => s.matchElem(makeElem({ type })))).toEqual([]);
    s.addFilter('not-peer-asn', '1');
    expect(s.matchElem(makeElem({ peerAsn: 2 }))).toBe(true);
  });

  it('elemtype keeps the named types', () => {
    expect(survivors('elemtype peerstates')).toEqual(['S']);
    expect(survivors('elemtype ribs withdrawals')).toEqual(['R', 'W']);
    expect(survivors('elemtype announcements')).toEqual(['A']);
  });

  it('no filters: everything passes', () => {
    expect(survivors('collector x')).toEqual(types);
    expect(parseFilterString('collector x').hasElemFilters).toBe(false);
  });

  it('origin must be a plain ASN at the end of the path', () => {
    const f = 'origin 13335';
    expect(passes(f, { path: [seq(1, 13335)] })).toBe(true);
    expect(passes(f, { path: [seq(13335, 1)] })).toBe(false);
    expect(passes(f, { path: [seq(1), { type: AS_SET, asns: [13335] }] })).toBe(false);
    expect(passes(f, { path: [seq(1), { type: AS_CONFED_SEQUENCE, asns: [13335] }] })).toBe(false);
    expect(passes(f, { path: '' })).toBe(false);
    expect(passes('origin 1 13335', { path: [seq(5, 13335)] })).toBe(true);
  });

  it('peerCanPass: peer and not-peer only', () => {
    const s = parseFilterString('peer 1 2 and prefix 10.0.0.0/8');
    expect(s.peerCanPass(1)).toBe(true);
    expect(s.peerCanPass(3)).toBe(false);
    s.addFilter('not-peer-asn', '2');
    expect(s.peerCanPass(2)).toBe(false);
    expect(new FilterSet().peerCanPass(7)).toBe(true);
  });

  it('matchRecord: project, collector, router and record type', () => {
    const rec = (project: string, collector: string, type: 'rib' | 'update', router = '') => {
      const r = new BgpRecord(project, collector, type, 0, 0, 0, 'valid', 16, 4, [], null);
      r.router = router;
      return r;
    };
    const s = parseFilterString('proj ris and coll rrc00 rrc01 and type updates');
    expect(s.matchRecord(rec('ris', 'rrc00', 'update'))).toBe(true);
    expect(s.matchRecord(rec('ris', 'rrc01', 'update'))).toBe(true);
    expect(s.matchRecord(rec('routeviews', 'rrc00', 'update'))).toBe(false);
    expect(s.matchRecord(rec('ris', 'rrc02', 'update'))).toBe(false);
    expect(s.matchRecord(rec('ris', 'rrc00', 'rib'))).toBe(false);
    const r = parseFilterString('router "my router"');
    expect(r.matchRecord(rec('p', 'c', 'rib', 'my router'))).toBe(true);
    expect(r.matchRecord(rec('p', 'c', 'rib'))).toBe(false);
    expect(new FilterSet().matchRecord(rec('p', 'c', 'rib'))).toBe(true);
  });
});

describe('prefix matching (spec 2.4)', () => {
  const specificities = ['exact', 'more', 'less', 'any'] as const;
  const relations = {
    equal: ['10.0.0.0/16', '2001:db8::/32'],
    contained: ['10.0.128.0/24', '2001:db8:ff00::/40'],
    containing: ['10.0.0.0/8', '2001:d00::/24'],
    disjoint: ['10.1.0.0/16', '2001:db9::/32'],
    'other family': ['a00::/16', '10.0.0.0/16'],
  } as const;
  const expected: Record<keyof typeof relations, readonly string[]> = {
    equal: ['exact', 'more', 'less', 'any'],
    contained: ['more', 'any'],
    containing: ['less', 'any'],
    disjoint: [],
    'other family': [],
  };
  for (const [family, filterPrefix] of [
    [0, '10.0.0.0/16'],
    [1, '2001:db8::/32'],
  ] as const) {
    for (const [relation, elemPrefixes] of Object.entries(relations) as [
      keyof typeof relations,
      readonly [string, string],
    ][]) {
      it(`${filterPrefix}: ${relation} elem prefix ${elemPrefixes[family]}`, () => {
        const passed = specificities.filter((sp) =>
          passes(`prefix ${sp} ${filterPrefix}`, { prefix: elemPrefixes[family] }),
        );
        expect(passed).toEqual(expected[relation]);
      });
    }
  }

  it('filter prefixes have their host bits masked; elem prefixes are not masked', () => {
    expect(passes('prefix exact 10.0.1.99/24', { prefix: '10.0.1.0/24' })).toBe(true);
    const unmasked = new Prefix(IpAddress.parse('10.0.1.5'), 24);
    expect(unmasked.toString()).toBe('10.0.1.5/24');
    expect(passes('prefix exact 10.0.1.0/24', { prefix: unmasked })).toBe(true);
    expect(passes('prefix more 10.0.0.0/16', { prefix: unmasked })).toBe(true);
    expect(passes('prefix less 10.0.1.0/25', { prefix: unmasked })).toBe(true);
    expect(passes('prefix less 10.0.1.128/25', { prefix: unmasked })).toBe(true);
  });

  it('/0 and host prefixes', () => {
    expect(passes('prefix more 0.0.0.0/0', { prefix: '1.2.3.4/32' })).toBe(true);
    expect(passes('prefix more 0.0.0.0/0', { prefix: '2001:db8::/32' })).toBe(false);
    expect(passes('prefix less 1.2.3.4/32', { prefix: '0.0.0.0/0' })).toBe(true);
    expect(passes('prefix exact ::/0', { prefix: '::/0' })).toBe(true);
    expect(passes('prefix more ::/0', { prefix: '2001:db8::1/128' })).toBe(true);
    expect(passes('prefix less 2001:db8::1/128', { prefix: '2001:db8::/127' })).toBe(true);
    expect(passes('prefix less 2001:db8::1/128', { prefix: '2001:db8::2/127' })).toBe(false);
  });

  it('the patricia expectations of spec 7.5/7.6 that apply to matching', () => {
    const v4 = 'prefix any 192.0.43.0/24 130.217.0.0/16 130.217.250.0/24';
    // 130.217.240.0/20: LESS|MORE (inside the /16, containing the /24).
    expect(passes(v4, { prefix: '130.217.240.0/20' })).toBe(true);
    expect(passes('prefix more 130.217.0.0/16', { prefix: '130.217.240.0/20' })).toBe(true);
    expect(passes('prefix less 130.217.250.0/24', { prefix: '130.217.240.0/20' })).toBe(true);
    expect(
      passes('prefix exact 192.0.43.0/24 130.217.0.0/16 130.217.250.0/24', { prefix: '130.217.240.0/20' }),
    ).toBe(false);
    expect(passes('prefix less 130.217.0.0/16 192.0.43.0/24', { prefix: '130.217.240.0/20' })).toBe(false);
    // 130.217.0.0/16 contains 130.217.250.0/24, not the reverse.
    expect(passes('prefix more 130.217.0.0/16', { prefix: '130.217.250.0/24' })).toBe(true);
    expect(passes('prefix more 130.217.250.0/24', { prefix: '130.217.0.0/16' })).toBe(false);
    expect(passes('prefix more 2001:500:88::/48', { prefix: '2001:500:88:beef::/64' })).toBe(true);
    expect(passes('prefix more 2001:500:88:beef::/64', { prefix: '2001:500:88::/48' })).toBe(false);
    expect(passes('prefix more 2001:48d0:101:501::/64', { prefix: '2001:48d0:101:501:beef::/96' })).toBe(
      true,
    );
    // 2001:48d0:101:501::/64: EXACT|MORE.
    const v6 =
      'prefix exact 2001:500:88::/48 2001:500:88:beef::/64 2001:48d0:101:501::/64 less 2001:48d0:101:501:beef::/96';
    expect(passes(v6, { prefix: '2001:48d0:101:501::/64' })).toBe(true);
    expect(passes('prefix less 2001:48d0:101:501:beef::/96', { prefix: '2001:48d0:101:501::/64' })).toBe(
      true,
    );
    expect(passes(v6, { prefix: '2001:48d0:101::/48' })).toBe(true);
    expect(passes(v6, { prefix: '2001:48d0:101:502::/64' })).toBe(false);
    // The regression prefixes of test 6 as filters: each one matches itself only (exact).
    const regression = [
      '1.0.0.0/24',
      '1.0.4.0/22',
      '1.0.64.0/18',
      '1.0.128.0/24',
      '1.0.129.0/24',
      '1.0.132.0/22',
      '2.158.48.15/21',
      '2.158.57.0/24',
      '2.158.48.0/20',
    ];
    const s = new FilterSet();
    for (const p of regression) s.addFilter('prefix-exact', p);
    expect(s.prefixes).toHaveLength(9);
    expect(prefixesOf(s)[6]).toBe('exact 2.158.48.0/21');
    for (const p of regression) expect(s.matchElem(makeElem({ prefix: Prefix.parse(p) }))).toBe(true);
    for (const p of ['1.0.0.0/16', '1.0.128.0/23', '2.158.56.0/24', '2.158.48.0/19']) {
      expect(s.matchElem(makeElem({ prefix: p }))).toBe(false);
    }
  });

  it('FIX: a prefix given twice keeps the union of its specificities (the reference keeps the first)', () => {
    const s = parseFilterString('prefix exact 10.0.0.0/16 less 10.0.0.0/16');
    expect(prefixesOf(s)).toEqual(['less 10.0.0.0/16']);
    expect(s.matchElem(makeElem({ prefix: '10.0.0.0/8' }))).toBe(true);
    expect(s.matchElem(makeElem({ prefix: '10.0.1.0/24' }))).toBe(false);
    const t = parseFilterString('prefix more 10.0.0.0/16 less 10.0.0.0/16');
    expect(prefixesOf(t)).toEqual(['any 10.0.0.0/16']);
    expect(t.matchElem(makeElem({ prefix: '10.0.0.0/8' }))).toBe(true);
    expect(t.matchElem(makeElem({ prefix: '10.0.1.0/24' }))).toBe(true);
    const u = parseFilterString('prefix less 10.0.0.0/16 exact 10.0.0.0/16');
    expect(prefixesOf(u)).toEqual(['less 10.0.0.0/16']);
  });

  it('FIX: a prefix where the reference has a glue node keeps its specificity (the reference makes it `any`)', () => {
    // 10.0.0.0/16 and 10.128.0.0/16 diverge at bit 8: the reference's tree has a glue node 10.0.0.0/8.
    const s = parseFilterString('prefix exact 10.0.0.0/16 10.128.0.0/16 10.0.0.0/8');
    expect(prefixesOf(s)).toEqual(['exact 10.0.0.0/16', 'exact 10.128.0.0/16', 'exact 10.0.0.0/8']);
    expect(s.matchElem(makeElem({ prefix: '10.0.0.0/8' }))).toBe(true);
    expect(s.matchElem(makeElem({ prefix: '10.64.0.0/16' }))).toBe(false);
    expect(s.matchElem(makeElem({ prefix: '8.0.0.0/6' }))).toBe(false);
    // And the glue node itself is no filter.
    const t = parseFilterString('prefix more 10.0.0.0/16 10.128.0.0/16');
    expect(t.matchElem(makeElem({ prefix: '10.64.0.0/16' }))).toBe(false);
    expect(t.matchElem(makeElem({ prefix: '10.0.0.0/8' }))).toBe(false);
  });
});

describe('AS path regexes (spec 2.5)', () => {
  const match = (pattern: string, path: string) => compileAsPathRegex(pattern).regex.test(path);

  it('^681_1444_', () => {
    const r = compileAsPathRegex('^681_1444_');
    expect(r.posix).toBe('^681(^|$|[ {},_])1444(^|$|[ {},_])');
    expect(match('^681_1444_', '681 1444 3356')).toBe(true);
    expect(match('^681_1444_', '681 1444')).toBe(true);
    expect(match('^681_1444_', '681 1444 {1,2}')).toBe(true);
    expect(match('^681_1444_', '681 14445')).toBe(false);
    expect(match('^681_1444_', '1 681 1444')).toBe(false);
  });

  it('_4554_ matches 4554 as a whole token', () => {
    for (const p of ['4554', '1 4554', '4554 2', '1 4554 2', '1 {4554,7}', '{7,4554}', '(1 4554)']) {
      expect(match('_4554_', p)).toBe(!p.includes('('));
    }
    for (const p of ['14554 2', '45541', '1 45540 2', '']) expect(match('_4554_', p)).toBe(false);
  });

  it('!^681_ negates', () => {
    const r = compileAsPathRegex('!^681_');
    expect(r.negated).toBe(true);
    expect(r.posix).toBe('^681(^|$|[ {},_])');
    expect(passes('path !^681_', { path: '681 2' })).toBe(false);
    expect(passes('path !^681_', { path: '682 681' })).toBe(true);
    expect(passes('path !^681_', { path: '6810 2' })).toBe(true);
  });

  it('back-references are renumbered past the `_` groups', () => {
    const prepend = compileAsPathRegex('_([0-9]+)_\\1_');
    expect(prepend.posix).toBe('(^|$|[ {},_])([0-9]+)(^|$|[ {},_])\\2(^|$|[ {},_])');
    expect(prepend.regex.test('3356 1299 1299 2')).toBe(true);
    expect(prepend.regex.test('3356 1299 2')).toBe(false);
    expect(compileAsPathRegex('(1)_(2)_\\2\\1').posix).toBe('(1)(^|$|[ {},_])(2)(^|$|[ {},_])\\3\\1');
    // More than 9 POSIX groups (the reference overflows a 10-slot table here).
    const many = compileAsPathRegex('_(1)_(2)_(3)_(4)_(5)_\\5_');
    expect(many.posix).toContain('\\10');
    expect(many.regex.test('1 2 3 4 5 5')).toBe(true);
    expect(many.regex.test('1 2 3 4 5 50')).toBe(false);
  });

  it('a reference to a group not opened yet is an error', () => {
    expect(errorOf(() => compileAsPathRegex('\\1(1)')).message).toContain('group not opened yet');
    expect(errorOf(() => compileAsPathRegex('(1)\\2')).message).toContain('\\2');
    expect(errorOf(() => compileAsPathRegex('(1)\\0')).message).toContain('group not opened yet');
    expect(parseError('path "_(1)_\\2"').position).toBe(5);
  });

  it('braces are literal (AS sets), not intervals', () => {
    const r = compileAsPathRegex('{21,22,23}');
    expect(r.posix).toBe('\\{21,22,23\\}');
    expect(r.regex.test('11 {21,22,23} (31 32)')).toBe(true);
    expect(match('4{2}', '4{2}')).toBe(true);
    expect(match('4{2}', '44')).toBe(false);
    expect(match('_{1,', '3 {1,2}')).toBe(true);
  });

  it('bracket expressions keep their POSIX meaning', () => {
    expect(match('^[[:digit:]]+ 174$', '3356 174')).toBe(true);
    expect(match('^[[:digit:]]+ 174$', 'x 174')).toBe(false);
    expect(match('[\\]', 'a\\b')).toBe(true);
    expect(match('[]x]', ']')).toBe(true);
    expect(match('[^0-9 ]', '1 2 3')).toBe(false);
    expect(match('[^0-9 ]', '1 {2,3}')).toBe(true);
    // `_` inside brackets is a plain character (never in a path).
    expect(compileAsPathRegex('[_]').posix).toBe('[_]');
    expect(match('[_]', '1 2')).toBe(false);
    expect(errorOf(() => compileAsPathRegex('[[:digits:]]')).message).toContain('unknown character class');
  });

  it('other POSIX syntax: alternation, groups, anchors, escapes', () => {
    expect(match('^(3356|174)_', '174 2')).toBe(true);
    expect(match('^(3356|174)_', '1174 2')).toBe(false);
    expect(match('13335$', '1 13335')).toBe(true);
    expect(match('^$', '')).toBe(true);
    expect(match('1.3', '1 3')).toBe(true);
    expect(match('1\\.3', '1 3')).toBe(false);
    expect(match('\\d', '1 2')).toBe(false); // glibc: \d is a literal d
    expect(match('\\<174\\>', '1 174 2')).toBe(true);
    expect(match('\\<174\\>', '1 1745')).toBe(false);
    expect(errorOf(() => compileAsPathRegex('(?:1)')).message).toContain('(?');
    expect(errorOf(() => compileAsPathRegex('1\\')).message).toContain('trailing backslash');
    expect(errorOf(() => compileAsPathRegex('(1')).message).toContain("invalid AS path regex '(1'");
  });

  it('the converted form is limited to MAX_CONVERTED_LENGTH characters', () => {
    expect(MAX_CONVERTED_LENGTH).toBe(240);
    expect(compileAsPathRegex('1'.repeat(240)).posix).toHaveLength(240);
    expect(errorOf(() => compileAsPathRegex('1'.repeat(241))).message).toContain('regex too long');
    // Each `_` is 13 characters once converted: 18 fit (234), 19 do not (247).
    expect(compileAsPathRegex('_'.repeat(18)).posix).toHaveLength(234);
    const err = parseError(`path ${'_'.repeat(19)}`);
    expect(err.message).toContain('regex too long');
    expect(err.position).toBe(5);
    // The limit is on the converted form, not the input: `!` is not counted.
    expect(compileAsPathRegex(`!${'1'.repeat(240)}`).negated).toBe(true);
  });

  it('matches the rendered AS path with sets and confederations', () => {
    const path = [
      seq(11, 12),
      { type: AS_SET, asns: [21, 22] },
      { type: AS_CONFED_SEQUENCE, asns: [31, 32] },
    ];
    expect(passes('path "^11 12 \\{21,22\\} \\(31 32\\)$"', { path })).toBe(true);
    expect(passes('path _22_', { path })).toBe(true);
    expect(passes('path _31_', { path })).toBe(false); // "(31" — `(` is no separator
  });
});

describe('community filters (spec 2.6)', () => {
  it('wildcards on either side', () => {
    expect(passes('comm 2914:*', { communities: ['1:1', '2914:410'] })).toBe(true);
    expect(passes('comm 2914:*', { communities: ['2915:410'] })).toBe(false);
    expect(passes('comm *:300', { communities: ['37105:300'] })).toBe(true);
    expect(passes('comm *:300', { communities: ['300:37105'] })).toBe(false);
    expect(passes('comm 2914:410', { communities: ['2914:410'] })).toBe(true);
    expect(passes('comm 2914:410', { communities: ['2914:411'] })).toBe(false);
    expect(passes('comm 65535:65535', { communities: ['65535:65535'] })).toBe(true);
    expect(passes('comm 0:0', { communities: ['0:0'] })).toBe(true);
  });

  it('any pattern matching any community', () => {
    const f = 'comm 1:1 2:* *:3';
    expect(passes(f, { communities: ['9:9', '1:1'] })).toBe(true);
    expect(passes(f, { communities: ['2:9'] })).toBe(true);
    expect(passes(f, { communities: ['9:3'] })).toBe(true);
    expect(passes(f, { communities: ['9:9', '1:2', '3:2'] })).toBe(false);
    expect(passes(f, { communities: [] })).toBe(false);
  });

  it('*:* needs at least one community', () => {
    expect(passes('comm *:*', { communities: ['0:0'] })).toBe(true);
    expect(passes('comm *:*', { communities: [] })).toBe(false);
    expect(passes('comm 1:1 *:*', { communities: ['5:5'] })).toBe(true);
  });

  it('reference quirk, kept: an empty side is 0, so `:300` is `0:300`', () => {
    const s = parseFilterString('comm :300');
    expect(communitiesOf(s)).toEqual(['0:300']);
    expect(s.matchElem(makeElem({ communities: ['0:300'] }))).toBe(true);
    expect(s.matchElem(makeElem({ communities: ['5:300'] }))).toBe(false);
    expect(communitiesOf(parseFilterString('comm 300:'))).toEqual(['300:0']);
    expect(communitiesOf(parseFilterString('comm :'))).toEqual(['0:0']);
  });

  it('identical patterns AND their masks (the less restrictive wins)', () => {
    const s = parseFilterString('comm 0:300 *:300 2914:0 2914:* 7:7');
    expect(communitiesOf(s)).toEqual(['*:300', '2914:*', '7:7']);
    expect(s.matchElem(makeElem({ communities: ['5:300'] }))).toBe(true);
    expect(s.matchElem(makeElem({ communities: ['2914:5'] }))).toBe(true);
    const t = parseFilterString('comm 0:0 *:*');
    expect(communitiesOf(t)).toEqual(['*:*']);
  });

  it('bad patterns', () => {
    for (const bad of ['70000:1', '1:65536', '1', '1:2:3', 'a:b', '-1:2', '**:1', '1:*x', '']) {
      expect(() => parseFilterString(`comm "${bad}"`)).toThrow(/invalid community/);
    }
  });
});

// ---------------------------------------------------------------------------
// Against real data: the spec 7.2 filter test on the bundled jinx updates

describe.skipIf(!haveSamples)(
  'the reference filter test (spec 7.2) on routeviews.route-views.jinx.updates',
  () => {
    if (!haveSamples) it.skip(noSamplesMessage, () => {});

    const EXPECTED = [
      'U|A|1427846874.000000|routeviews|route-views.jinx|||37105|196.223.14.46|154.73.136.0/24|196.223.14.84|37105 37549|37549|37105:300||',
      'U|A|1427846874.000000|routeviews|route-views.jinx|||37105|196.223.14.46|154.73.137.0/24|196.223.14.84|37105 37549|37549|37105:300||',
      'U|A|1427846874.000000|routeviews|route-views.jinx|||37105|196.223.14.46|154.73.138.0/24|196.223.14.84|37105 37549|37549|37105:300||',
      'U|A|1427846874.000000|routeviews|route-views.jinx|||37105|196.223.14.46|154.73.139.0/24|196.223.14.84|37105 37549|37549|37105:300||',
    ];

    async function run(filters: FilterSet): Promise<{ lines: string[]; elems: number }> {
      const lines: string[] = [];
      let elems = 0;
      for await (const record of readMrt(
        samplePath('libbgpstream/routeviews.route-views.jinx.updates.1427846400.bz2'),
        {
          source: { project: 'routeviews', collector: 'route-views.jinx', dumpTime: 1427846400 },
          interval: { begin: 1427846847, end: 1427846874 },
        },
      )) {
        if (record.status !== 'valid' || !filters.matchRecord(record)) continue;
        for (const elem of record.elems) {
          elems++;
          if (filters.peerCanPass(elem.peerAsn) && filters.matchElem(elem)) {
            lines.push(bgpreaderElemLine(record, elem));
          }
        }
      }
      return { lines, elems };
    }

    it('through the filter string #4', async () => {
      const { lines, elems } = await run(parseFilterString(EXAMPLE_4));
      expect(elems).toBeGreaterThan(EXPECTED.length);
      expect(lines).toEqual(EXPECTED);
    });

    it('through addFilter calls (old-style prefix = more)', async () => {
      const s = new FilterSet();
      s.addFilter('collector', 'rrc06');
      s.addFilter('collector', 'route-views.jinx');
      s.addFilter('record-type', 'updates');
      s.addFilter('peer-asn', '25152');
      s.addFilter('peer-asn', '37105');
      s.addFilter('prefix', '2620:110:9004::/40');
      s.addFilter('prefix', '154.73.128.0/17');
      s.addFilter('prefix', '202.70.88.0/21');
      s.addFilter('community', '2914:*');
      s.addFilter('community', '*:300');
      expect(s.toString()).toBe(parseFilterString(EXAMPLE_4).toString());
      expect((await run(s)).lines).toEqual(EXPECTED);
    });

    it('a collector filter for another collector keeps no record', async () => {
      expect((await run(parseFilterString('collector rrc06'))).lines).toEqual([]);
    });
  },
);
