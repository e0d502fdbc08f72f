import type { DataInterface, DataInterfaceType, Resource } from '@bgpstream-ts/core';
import { parseBrokers } from './kafka-client.js';
import {
  defaultGroup,
  KAFKA_DATA_TYPES,
  type KafkaDataType,
  type KafkaSourceConfig,
  kafkaUrl,
  parseTopics,
} from './kafka-url.js';

/**
 * `kafka` (spec 3.6): records from Kafka topics, as one never-ending stream resource (initial time
 * 0, duration 0, type updates). Its url is `kafka://brokers/topics?...`; the resource opener this
 * package registers reads it (`kafka-source.ts`). `stop-at-end` is ours: the resource ends once
 * every assigned partition was read to the high watermark it had when assigned.
 */
export const kafkaType: DataInterfaceType = {
  name: 'kafka',
  description: 'Read updates in real-time from an Apache Kafka topic',
  options: [
    { name: 'brokers', description: 'comma-separated list of kafka brokers (required)' },
    {
      name: 'topic',
      description: 'topic to consume (required): a comma-separated list, or a /regular expression/',
    },
    { name: 'group', description: 'consumer group (default: bgpstream-<hex ms>-<hex rand>)' },
    {
      name: 'offset',
      description: 'offset to start from when the group has none (earliest, latest)',
      defaultValue: 'latest',
    },
    {
      name: 'data-type',
      description: `message format: ${KAFKA_DATA_TYPES.join(', ')} (json: @bgpstream-ts/kafka's own elem messages)`,
      defaultValue: 'bmp',
    },
    {
      name: 'project',
      description: 'project name (default: the message headers, else empty)',
      defaultValue: '',
    },
    {
      name: 'collector',
      description: 'collector name (default: the message headers or OpenBMP header, else empty)',
      defaultValue: '',
    },
    {
      name: 'stop-at-end',
      description:
        'true: end when every assigned partition is read to its high watermark (for batch reads and tests)',
      defaultValue: 'false',
    },
  ],
  create: () => new KafkaDataInterface(),
};

export class KafkaDataInterface implements DataInterface {
  readonly name = 'kafka';
  private brokers: string[] | null = null;
  private topics: (string | RegExp)[] | null = null;
  private group: string | null = null;
  private offset: 'earliest' | 'latest' = 'latest';
  private dataType: KafkaDataType = 'bmp';
  private project = '';
  private collector = '';
  private stopAtEnd = false;
  private queued = false;

  setOption(name: string, value: string): void {
    switch (name) {
      case 'brokers':
        try {
          this.brokers = parseBrokers(value);
        } catch (err) {
          throw new Error(`kafka option 'brokers': ${(err as Error).message}`);
        }
        break;
      case 'topic':
        this.topics = parseTopics(value);
        break;
      case 'group':
        if (!/^[a-zA-Z0-9._-]{1,249}$/.test(value)) {
          throw new Error(`kafka option 'group': '${value}' is not a group id ([a-zA-Z0-9._-])`);
        }
        this.group = value;
        break;
      case 'offset':
        if (value !== 'earliest' && value !== 'latest') {
          throw new Error(`kafka option 'offset': '${value}' is not earliest or latest`);
        }
        this.offset = value;
        break;
      case 'data-type':
        if (!KAFKA_DATA_TYPES.includes(value as KafkaDataType)) {
          throw new Error(
            `kafka option 'data-type': '${value}' is not one of ${KAFKA_DATA_TYPES.join(', ')}`,
          );
        }
        this.dataType = value as KafkaDataType;
        break;
      case 'project':
        this.project = value;
        break;
      case 'collector':
        this.collector = value;
        break;
      case 'stop-at-end':
        if (value !== 'true' && value !== 'false') {
          throw new Error(`kafka option 'stop-at-end': '${value}' is not true or false`);
        }
        this.stopAtEnd = value === 'true';
        break;
      default: {
        const known = kafkaType.options.map((o) => o.name).join(', ');
        throw new Error(`data interface 'kafka' has no option '${name}' (options: ${known})`);
      }
    }
  }

  validate(): void {
    const missing = [this.brokers ? null : 'brokers', this.topics ? null : 'topic'].filter((x) => x !== null);
    if (missing.length > 0)
      throw new Error(
        `kafka: the option${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(' and ')} must be set`,
      );
  }

  /** The source configuration the resource's url carries. */
  config(): KafkaSourceConfig {
    this.validate();
    this.group ??= defaultGroup();
    return {
      brokers: this.brokers ?? [],
      topics: this.topics ?? [],
      group: this.group,
      offset: this.offset,
      dataType: this.dataType,
      project: this.project,
      collector: this.collector,
      stopAtEnd: this.stopAtEnd,
    };
  }

  async nextResources(): Promise<Resource[]> {
    if (this.queued) return [];
    this.queued = true;
    const c = this.config();
    return [
      {
        url: kafkaUrl(c),
        // The opener decodes by the url's data-type; `format` tells the stream whether record-level
        // filters apply (not for mrt, as in BGPStream; json records carry their own project/collector).
        format: c.dataType === 'json' ? 'bmp' : c.dataType,
        project: c.project,
        collector: c.collector,
        type: 'update',
        initialTime: 0,
        duration: 0,
      },
    ];
  }
}
