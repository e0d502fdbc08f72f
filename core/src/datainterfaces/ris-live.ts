import type { RisLiveResource } from '../formats/ris-live.js';
import type { RisSubscribeData } from '../formats/ris-live-socket.js';
import { IpAddress } from '../model/address.js';
import { Prefix } from '../model/prefix.js';
import { checkOptionName, type DataInterface, type DataInterfaceType } from './data-interface.js';
import type { Resource, ResourceQuery } from './resource.js';

export const RIS_LIVE_DEFAULT_URL = 'wss://ris-live.ripe.net/v1/ws/?client=bgpstream-ts';

const MESSAGE_TYPES = ['UPDATE', 'OPEN', 'NOTIFICATION', 'KEEPALIVE', 'RIS_PEER_STATE'];

/**
 * `ris-live` (not in the reference, where RIS Live is only a format): one never-ending stream
 * resource, read from RIS Live's websocket. The `host`, `prefix`, `peer` and `type` options go
 * into the `ris_subscribe` message, so that the server filters; records get project `ris-live`
 * and the message's `host` as collector.
 */
export const risLiveType: DataInterfaceType = {
  name: 'ris-live',
  description: 'Read updates in real-time from the RIPE RIS Live websocket',
  options: [
    {
      name: 'url',
      description: 'RIS Live websocket URL (ws:// or wss://)',
      defaultValue: RIS_LIVE_DEFAULT_URL,
    },
    { name: 'host', description: 'subscribe to one collector only (e.g. rrc00)' },
    { name: 'prefix', description: 'subscribe to a prefix and its more-specifics (repeatable)' },
    { name: 'peer', description: 'subscribe to one peer (IP address)' },
    { name: 'type', description: `subscribe to one message type (${MESSAGE_TYPES.join(', ')})` },
    {
      name: 'max-retries',
      description: 'consecutive failed connections before the stream ends with a corrupted-source record',
      defaultValue: '10',
    },
    {
      name: 'queue-size',
      description: 'messages held for a slow reader before the socket is paused',
      defaultValue: '10000',
    },
  ],
  create: () => new RisLive(),
};

class RisLive implements DataInterface {
  readonly name = 'ris-live';
  private url = RIS_LIVE_DEFAULT_URL;
  private readonly subscribe: RisSubscribeData = {};
  private readonly prefixes: string[] = [];
  private maxRetries = 10;
  private queueSize = 10_000;
  private queued = false;

  setOption(name: string, value: string): void {
    checkOptionName(risLiveType, name);
    switch (name) {
      case 'url':
        if (!/^wss?:\/\/[^/]/i.test(value))
          throw new Error(`ris-live option 'url': '${value}' is not a ws:// or wss:// URL`);
        this.url = value;
        break;
      case 'host':
        if (!/^[A-Za-z0-9.-]+$/.test(value))
          throw new Error(`ris-live option 'host': '${value}' is not a collector name`);
        this.subscribe.host = value;
        break;
      case 'prefix':
        try {
          Prefix.parse(value);
        } catch {
          throw new Error(`ris-live option 'prefix': '${value}' is not a prefix`);
        }
        this.prefixes.push(value);
        break;
      case 'peer':
        if (!IpAddress.tryParse(value))
          throw new Error(`ris-live option 'peer': '${value}' is not an IP address`);
        this.subscribe.peer = value;
        break;
      case 'type': {
        const type = value.toUpperCase();
        if (!MESSAGE_TYPES.includes(type)) {
          throw new Error(`ris-live option 'type': '${value}' is not one of ${MESSAGE_TYPES.join(', ')}`);
        }
        this.subscribe.type = type;
        break;
      }
      case 'max-retries':
        this.maxRetries = wholeNumber(name, value, 0);
        break;
      case 'queue-size':
        this.queueSize = wholeNumber(name, value, 1);
        break;
    }
  }

  validate(): void {}

  async nextResources(query: ResourceQuery): Promise<Resource[]> {
    if (this.queued) return [];
    this.queued = true;
    if (query.projects.size > 0 && !query.projects.has('ris-live')) return [];
    if (query.recordTypes.size > 0 && !query.recordTypes.has('update')) return [];
    const subscribe: RisSubscribeData = { ...this.subscribe };
    if (this.prefixes.length > 0)
      subscribe.prefix = this.prefixes.length === 1 ? this.prefixes[0] : [...this.prefixes];
    const resource: RisLiveResource = {
      url: this.url,
      format: 'ris-live',
      project: 'ris-live',
      collector: '',
      type: 'update',
      initialTime: Math.floor(Date.now() / 1000),
      duration: 0,
      risLive: { subscribe, maxRetries: this.maxRetries, queueSize: this.queueSize },
    };
    return [resource];
  }
}

function wholeNumber(name: string, value: string, min: number): number {
  const n = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min)) throw new Error(`ris-live option '${name}': '${value}' is not a whole number >= ${min}`);
  return n;
}
