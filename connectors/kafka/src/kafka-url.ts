import { parseBrokers } from './kafka-client.js';

/** What the `kafka` data interface reads: the decoded form of a `kafka://` resource url. */
export interface KafkaSourceConfig {
  brokers: string[];
  /** Topic names, or one regular expression (`/.../`). */
  topics: (string | RegExp)[];
  group: string;
  offset: 'earliest' | 'latest';
  dataType: KafkaDataType;
  project: string;
  collector: string;
  /** End when every assigned partition has been read up to the high watermark it had when assigned. */
  stopAtEnd: boolean;
}

export const KAFKA_DATA_TYPES = ['mrt', 'bmp', 'ris-live', 'json'] as const;
export type KafkaDataType = (typeof KAFKA_DATA_TYPES)[number];

/** The url scheme of Kafka resources (the resource opener registered for it reads them). */
export const KAFKA_SCHEME = 'kafka';

/** A comma list of topic names, or `/regex/` (flags allowed after the closing slash). Throws on a bad one. */
export function parseTopics(text: string): (string | RegExp)[] {
  const t = text.trim();
  const re = /^\/(.+)\/([a-z]*)$/.exec(t);
  if (re) {
    try {
      return [new RegExp(re[1], re[2])];
    } catch (err) {
      throw new Error(
        `kafka option 'topic': '${text}' is not a regular expression: ${(err as Error).message}`,
      );
    }
  }
  const list = t
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (list.length === 0) throw new Error(`kafka option 'topic': '${text}' names no topic`);
  for (const name of list) {
    if (!/^[a-zA-Z0-9._-]{1,249}$/.test(name)) {
      throw new Error(
        `kafka option 'topic': '${name}' is not a Kafka topic name ([a-zA-Z0-9._-], at most 249)`,
      );
    }
  }
  return list;
}

function topicsText(topics: (string | RegExp)[]): string {
  return topics.map((t) => (typeof t === 'string' ? t : `/${t.source}/${t.flags}`)).join(',');
}

/** `kafka://host:port,host:port/<topics>?group=...&offset=...&data-type=...&project=...&collector=...&stop-at-end=true`. */
export function kafkaUrl(c: KafkaSourceConfig): string {
  const q = new URLSearchParams({
    group: c.group,
    offset: c.offset,
    'data-type': c.dataType,
  });
  if (c.project !== '') q.set('project', c.project);
  if (c.collector !== '') q.set('collector', c.collector);
  if (c.stopAtEnd) q.set('stop-at-end', 'true');
  return `${KAFKA_SCHEME}://${c.brokers.join(',')}/${encodeURIComponent(topicsText(c.topics))}?${q}`;
}

/** Reads a `kafka://` url back. Throws naming what is wrong. */
export function parseKafkaUrl(url: string): KafkaSourceConfig {
  const m = /^kafka:\/\/([^/?#]+)\/([^?#]*)(?:\?([^#]*))?$/i.exec(url);
  if (!m) throw new Error(`'${url}' is not a kafka://brokers/topics?options url`);
  const q = new URLSearchParams(m[3] ?? '');
  const offset = q.get('offset') ?? 'latest';
  if (offset !== 'earliest' && offset !== 'latest')
    throw new Error(`kafka url: offset '${offset}' is not earliest or latest`);
  const dataType = (q.get('data-type') ?? 'bmp') as KafkaDataType;
  if (!KAFKA_DATA_TYPES.includes(dataType)) {
    throw new Error(`kafka url: data-type '${dataType}' is not one of ${KAFKA_DATA_TYPES.join(', ')}`);
  }
  return {
    brokers: parseBrokers(m[1]),
    topics: parseTopics(decodeURIComponent(m[2])),
    group: q.get('group') ?? defaultGroup(),
    offset,
    dataType,
    project: q.get('project') ?? '',
    collector: q.get('collector') ?? '',
    stopAtEnd: q.get('stop-at-end') === 'true',
  };
}

/** The reference's default consumer group: `bgpstream-<hex ms>-<hex rand>`. */
export function defaultGroup(): string {
  const rand = Math.floor(Math.random() * 0x100000000).toString(16);
  return `bgpstream-${Date.now().toString(16)}-${rand}`;
}
