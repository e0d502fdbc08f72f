import { createHash } from 'node:crypto';
import type { ElemType, RecordType } from '@bgpstream-ts/core';

/** The default topic template: one topic per project, collector and record type. */
export const DEFAULT_TOPIC_TEMPLATE = 'bgpstream.{project}.{collector}.{type}';

/** Kafka's limit on a topic name. */
export const MAX_TOPIC_LENGTH = 249;

/** Elem types as they appear in topic names. */
export const ELEM_TYPE_NAMES: Readonly<Record<ElemType, string>> = {
  R: 'rib',
  A: 'announcement',
  W: 'withdrawal',
  S: 'peerstate',
};

const PLACEHOLDERS = ['project', 'collector', 'type', 'elem_type', 'format'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

export interface TopicFields {
  project: string;
  collector: string;
  type: RecordType;
  /** Absent for mrt messages, which hold whole records. */
  elemType?: ElemType;
  format: string;
}

/**
 * Kafka's rule for topic names: only `[a-zA-Z0-9._-]`, at most 249 characters, not `.` or `..`.
 * Other characters become `_`; a longer name is cut and ends with 8 hex digits of a hash of the
 * whole name, so that two long names that share their start stay apart.
 */
export function sanitizeTopicName(name: string): string {
  let out = name.replace(/[^a-zA-Z0-9._-]/g, '_');
  if (out === '') out = '_';
  if (out === '.' || out === '..') out = out.replace(/\./g, '_');
  if (out.length > MAX_TOPIC_LENGTH) {
    const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
    out = `${out.slice(0, MAX_TOPIC_LENGTH - 9)}-${hash}`;
  }
  return out;
}

/**
 * A compiled topic template: `{project}`, `{collector}`, `{type}` (`update` or `rib`),
 * `{elem_type}` (`announcement`, `withdrawal`, `rib`, `peerstate`) and `{format}` are replaced, then
 * the name is sanitised. Unknown placeholders throw at once, naming them.
 */
export class TopicTemplate {
  /** Literal text, or a placeholder as `{ ph }`. */
  private readonly parts: (string | { ph: Placeholder })[] = [];
  readonly usesElemType: boolean;
  private readonly cache = new Map<string, string>();

  constructor(readonly template: string) {
    if (template === '') throw new Error('the topic template is empty');
    const re = /\{([^{}]*)\}/g;
    let last = 0;
    for (let m = re.exec(template); m !== null; m = re.exec(template)) {
      if (m.index > last) this.parts.push(template.slice(last, m.index));
      const name = m[1] as Placeholder;
      if (!PLACEHOLDERS.includes(name)) {
        throw new Error(
          `topic template '${template}': unknown placeholder '{${m[1]}}' (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`,
        );
      }
      this.parts.push({ ph: name });
      last = re.lastIndex;
    }
    if (last < template.length) this.parts.push(template.slice(last));
    if (this.parts.some((p) => typeof p === 'string' && /[{}]/.test(p))) {
      throw new Error(`topic template '${template}': unbalanced '{' or '}'`);
    }
    this.usesElemType = this.parts.some((p) => typeof p !== 'string' && p.ph === 'elem_type');
  }

  /** The sanitised topic name for these fields. */
  topic(fields: TopicFields): string {
    const elem = fields.elemType === undefined ? '' : ELEM_TYPE_NAMES[fields.elemType];
    const cacheKey = `${fields.project}\u0000${fields.collector}\u0000${fields.type}\u0000${elem}\u0000${fields.format}`;
    let name = this.cache.get(cacheKey);
    if (name === undefined) {
      let raw = '';
      for (const part of this.parts) {
        if (typeof part === 'string') {
          raw += part;
          continue;
        }
        switch (part.ph) {
          case 'project':
            raw += fields.project;
            break;
          case 'collector':
            raw += fields.collector;
            break;
          case 'type':
            raw += fields.type;
            break;
          case 'elem_type':
            raw += elem;
            break;
          case 'format':
            raw += fields.format;
            break;
        }
      }
      name = sanitizeTopicName(raw);
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(cacheKey, name);
    }
    return name;
  }
}
