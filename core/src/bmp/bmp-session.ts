import type { BmpPerPeerHeader } from './per-peer-header.js';

/** What a peer's Peer Up taught about how its route monitoring is encoded. */
export interface BmpPeerCapabilities {
  /** AS_PATH ASN size: 4 when both OPENs carried the 4-octet AS capability (RFC 6793), else 2. */
  asSize: 2 | 4;
  /** ADD-PATH negotiated from the peer to the router (Adj-RIB-In) for at least one AFI/SAFI. */
  addPathIn: boolean;
  /** ADD-PATH negotiated from the router to the peer (Adj-RIB-Out). */
  addPathOut: boolean;
}

/** More peers than this (per session) means garbage or a leak: the oldest are forgotten. */
const MAX_PEERS = 65536;
const MAX_ROUTERS = 4096;

/**
 * State that spans BMP messages: each peer's capabilities from its Peer Up, each router's sysName
 * from its Initiation, and the last trusted time (for messages that carry none). A reader owns one;
 * pass your own to `bmpMessageToRecords` to keep it across Kafka messages.
 */
export class BmpSession {
  private readonly peers = new Map<string, BmpPeerCapabilities>();
  private readonly sysNames = new Map<string, string>();
  /** The last time a message carried (OpenBMP header or non-zero per-peer timestamp); -1 before any. */
  lastTimeSec = -1;
  lastTimeUsec = 0;

  /** A peer is one (router, peer type, distinguisher, address), whatever its RIB flags. */
  peerKey(routerKey: string, peer: BmpPerPeerHeader): string {
    const a = peer.address;
    return `${routerKey}|${peer.peerType}|${peer.distinguisher}|${a.w0}.${a.w1}.${a.w2}.${a.w3}`;
  }

  getPeer(key: string): BmpPeerCapabilities | undefined {
    return this.peers.get(key);
  }

  setPeer(key: string, caps: BmpPeerCapabilities): void {
    this.peers.delete(key);
    this.peers.set(key, caps);
    if (this.peers.size > MAX_PEERS) this.peers.delete(this.peers.keys().next().value as string);
  }

  get peerCount(): number {
    return this.peers.size;
  }

  sysName(routerKey: string): string | undefined {
    return this.sysNames.get(routerKey);
  }

  setSysName(routerKey: string, name: string): void {
    this.sysNames.delete(routerKey);
    this.sysNames.set(routerKey, name);
    if (this.sysNames.size > MAX_ROUTERS) this.sysNames.delete(this.sysNames.keys().next().value as string);
  }

  noteTime(sec: number, usec: number): void {
    this.lastTimeSec = sec;
    this.lastTimeUsec = usec;
  }
}
