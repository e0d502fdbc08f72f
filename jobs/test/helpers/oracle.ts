import { IpAddress, Prefix } from '@bgpstream-ts/core';
import { AS_SEQUENCE, type OElem } from './lakes.js';

/**
 * Answers computed in plain TypeScript from the decoder's elems, independently of the SQL jobs:
 * each function restates a job's documented meaning and computes it the straightforward way.
 */

const ESTABLISHED = 6;

export interface Window {
  /** µs, inclusive; undefined: open. */
  from?: number;
  /** µs, exclusive; undefined: open. */
  until?: number;
}

export const inWindow = (e: OElem, w: Window) =>
  (w.from === undefined || e.t >= w.from) && (w.until === undefined || e.t < w.until);

export const peerKey = (e: OElem) => `${e.project}|${e.collector}|${e.peerAsn}|${e.peerAddress}`;
const routeKey = (e: OElem) => `${peerKey(e)}|${e.prefix}|${e.pathId}`;
const sameList = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The lake's order for one route: record time, then the decoder's order. */
export const byTime = (a: OElem, b: OElem) => a.t - b.t || a.dump - b.dump || a.seq - b.seq;

// ---------------------------------------------------------------- moas

export interface MoasRow {
  prefix: string;
  origins: number[];
  elems: number;
  peers: number;
}

export function moas(elems: readonly OElem[], w: Window, minOrigins = 2): MoasRow[] {
  const by = new Map<string, { origins: Set<number>; elems: number; peers: Set<string> }>();
  for (const e of elems) {
    if ((e.elemType !== 'A' && e.elemType !== 'R') || !inWindow(e, w) || e.origins?.length !== 1) continue;
    const p = e.prefix!;
    let g = by.get(p);
    if (!g) {
      g = { origins: new Set(), elems: 0, peers: new Set() };
      by.set(p, g);
    }
    g.origins.add(e.origins[0]);
    g.elems++;
    g.peers.add(peerKey(e));
  }
  return [...by.entries()]
    .filter(([, g]) => g.origins.size >= minOrigins)
    .map(([prefix, g]) => ({
      prefix,
      origins: [...g.origins].sort((a, b) => a - b),
      elems: g.elems,
      peers: g.peers.size,
    }));
}

// ---------------------------------------------------------------- origin changes

export interface OriginChange {
  prefix: string;
  t: number;
  oldOrigins: number[];
  newOrigins: number[];
  peerAsn: number;
  peerAddress: string | null;
  pathId: number | null;
}

export function originChanges(elems: readonly OElem[], w: Window): OriginChange[] {
  const routes = new Map<string, OElem[]>();
  for (const e of elems) {
    if ((e.elemType !== 'A' && e.elemType !== 'R') || !inWindow(e, w)) continue;
    const k = routeKey(e);
    routes.set(k, [...(routes.get(k) ?? []), e]);
  }
  const out: OriginChange[] = [];
  for (const list of routes.values()) {
    list.sort(byTime);
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1].origins!;
      const cur = list[i].origins!;
      if (!sameList(prev, cur)) {
        const e = list[i];
        out.push({
          prefix: e.prefix!,
          t: e.t,
          oldOrigins: prev,
          newOrigins: cur,
          peerAsn: e.peerAsn,
          peerAddress: e.peerAddress,
          pathId: e.pathId,
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- routing table at a time

/**
 * The routes held at `at` (µs): per collector the latest RIB dump with at - lookback <= dump time
 * <= at, then the update elems from its time to `at` replayed in order; a session leaving
 * ESTABLISHED drops the peer's routes. Without a RIB, the updates of the lookback only.
 */
export function routesAt(elems: readonly OElem[], at: number, lookbackUs: number): Map<string, OElem> {
  const collectors = new Set(elems.map((e) => `${e.project}|${e.collector}`));
  const table = new Map<string, OElem>();
  for (const c of collectors) {
    const mine = elems.filter((e) => `${e.project}|${e.collector}` === c && e.dumpTime * 1e6 <= at);
    const ribTimes = mine
      .filter((e) => e.type === 'rib' && e.dumpTime * 1e6 >= at - lookbackUs)
      .map((e) => e.dumpTime * 1e6);
    const rib = ribTimes.length ? Math.max(...ribTimes) : undefined;
    const start = rib ?? at - lookbackUs;
    const events = mine
      .filter(
        (e) =>
          (e.type === 'rib' && e.dumpTime * 1e6 === rib && e.elemType === 'R') ||
          (e.type === 'update' && e.t <= at && e.t >= start),
      )
      .sort(byTime);
    for (const e of events) {
      if (e.elemType === 'R' || e.elemType === 'A') table.set(routeKey(e), e);
      else if (e.elemType === 'W') table.delete(routeKey(e));
      else if (e.oldState === ESTABLISHED && e.newState !== ESTABLISHED) {
        for (const [k, r] of table) if (peerKey(r) === peerKey(e)) table.delete(k);
      }
    }
  }
  return table;
}

export interface VisibilityRow {
  prefix: string;
  peers: number;
  peerAsns: number;
  collectors: number;
  origins: number[];
}

function visibilityOf(carried: Iterable<OElem>): VisibilityRow[] {
  const by = new Map<
    string,
    { peers: Set<string>; asns: Set<number>; collectors: Set<string>; origins: Set<number> }
  >();
  for (const e of carried) {
    let g = by.get(e.prefix!);
    if (!g) {
      g = { peers: new Set(), asns: new Set(), collectors: new Set(), origins: new Set() };
      by.set(e.prefix!, g);
    }
    g.peers.add(peerKey(e));
    g.asns.add(e.peerAsn);
    g.collectors.add(`${e.project}|${e.collector}`);
    for (const o of e.origins ?? []) g.origins.add(o);
  }
  return [...by.entries()].map(([prefix, g]) => ({
    prefix,
    peers: g.peers.size,
    peerAsns: g.asns.size,
    collectors: g.collectors.size,
    origins: [...g.origins].sort((a, b) => a - b),
  }));
}

export function visibilityWindow(elems: readonly OElem[], w: Window): VisibilityRow[] {
  return visibilityOf(elems.filter((e) => (e.elemType === 'A' || e.elemType === 'R') && inWindow(e, w)));
}

export function visibilityAt(elems: readonly OElem[], at: number, lookbackUs: number): VisibilityRow[] {
  return visibilityOf(routesAt(elems, at, lookbackUs).values());
}

/** Routes held at `at` whose prefix contains `address` (by the model's own Prefix.contains). */
export function lookup(elems: readonly OElem[], address: string, at: number, lookbackUs: number): OElem[] {
  const a = IpAddress.parse(address);
  const host = new Prefix(a, a.bitLength);
  return [...routesAt(elems, at, lookbackUs).values()].filter((e) => Prefix.parse(e.prefix!).contains(host));
}

// ---------------------------------------------------------------- update rates

export interface RateRow {
  minute: number;
  peer: string;
  announcements: number;
  withdrawals: number;
  /** Distinct record times (the job's `messages`). */
  messages: number;
  /** Records holding A or W elems: the UPDATE messages themselves. */
  records: number;
}

export function updateRates(elems: readonly OElem[], w: Window): RateRow[] {
  const by = new Map<
    string,
    { minute: number; peer: string; a: number; w: number; records: Set<number>; times: Set<number> }
  >();
  for (const e of elems) {
    if (e.type !== 'update' || (e.elemType !== 'A' && e.elemType !== 'W') || !inWindow(e, w)) continue;
    const minute = Math.floor(e.t / 60e6) * 60e6;
    const k = `${minute}|${peerKey(e)}`;
    let g = by.get(k);
    if (!g) {
      g = { minute, peer: peerKey(e), a: 0, w: 0, records: new Set(), times: new Set() };
      by.set(k, g);
    }
    if (e.elemType === 'A') g.a++;
    else g.w++;
    g.records.add(e.recordIndex);
    g.times.add(e.t);
  }
  return [...by.values()].map((g) => ({
    minute: g.minute,
    peer: g.peer,
    announcements: g.a,
    withdrawals: g.w,
    messages: g.times.size,
    records: g.records.size,
  }));
}

// ---------------------------------------------------------------- sessions

export interface ResetRow {
  peer: string;
  down: number;
  downTo: number;
  up: number | null;
}

export function sessionResets(elems: readonly OElem[], w: Window): ResetRow[] {
  const byPeer = new Map<string, OElem[]>();
  for (const e of elems) {
    if (e.elemType !== 'S' || !inWindow(e, w)) continue;
    byPeer.set(peerKey(e), [...(byPeer.get(peerKey(e)) ?? []), e]);
  }
  const out: ResetRow[] = [];
  for (const [peer, list] of byPeer) {
    list.sort(byTime);
    list.forEach((e, i) => {
      if (!(e.oldState === ESTABLISHED && e.newState !== ESTABLISHED)) return;
      let up: number | null = null;
      for (const later of list.slice(i + 1)) {
        if (later.oldState === ESTABLISHED && later.newState !== ESTABLISHED) break;
        if (later.newState === ESTABLISHED && later.oldState !== ESTABLISHED) {
          up = later.t;
          break;
        }
      }
      out.push({ peer, down: e.t, downTo: e.newState, up });
    });
  }
  return out;
}

// ---------------------------------------------------------------- AS paths

function pathsIn(elems: readonly OElem[], w: Window): OElem[] {
  return elems.filter((e) => (e.elemType === 'A' || e.elemType === 'R') && inWindow(e, w) && e.asns !== null);
}

export function pathLengths(elems: readonly OElem[], w: Window): Map<number, number> {
  const out = new Map<number, number>();
  for (const e of pathsIn(elems, w)) out.set(e.asns!.length, (out.get(e.asns!.length) ?? 0) + 1);
  return out;
}

/** ASNs of the path other than the first ASN and the origins, once per path. */
export function transitCounts(elems: readonly OElem[], w: Window): Map<number, number> {
  const out = new Map<number, number>();
  for (const e of pathsIn(elems, w)) {
    const asns = e.asns!;
    const transit = new Set(asns.slice(1).filter((a) => a !== asns[0] && !e.origins!.includes(a)));
    for (const a of transit) out.set(a, (out.get(a) ?? 0) + 1);
  }
  return out;
}

/** Per ASN: paths where it repeats inside AS_SEQUENCE, and the most copies (1 + repeated positions) in one path. */
export function prepending(
  elems: readonly OElem[],
  w: Window,
): Map<number, { paths: number; maxCopies: number; extra: number }> {
  const out = new Map<number, { paths: number; maxCopies: number; extra: number }>();
  for (const e of pathsIn(elems, w)) {
    const asns = e.asns!;
    const segs = e.segTypes!;
    const repeats = new Map<number, number>();
    for (let i = 1; i < asns.length; i++) {
      if (asns[i] === asns[i - 1] && segs[i] === AS_SEQUENCE && segs[i - 1] === AS_SEQUENCE) {
        repeats.set(asns[i], (repeats.get(asns[i]) ?? 0) + 1);
      }
    }
    for (const [asn, n] of repeats) {
      const g = out.get(asn) ?? { paths: 0, maxCopies: 0, extra: 0 };
      g.paths++;
      g.maxCopies = Math.max(g.maxCopies, n + 1);
      g.extra += n;
      out.set(asn, g);
    }
  }
  return out;
}

/** The `n` largest entries by count, ties by key, as the jobs order them. */
export function topN(counts: Map<number, number>, n: number): [number, number][] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, n);
}
