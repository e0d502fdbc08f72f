import { isCSpace } from './decimal.js';
import { FilterError } from './filter-error.js';
import { FilterSet, type FilterType } from './filter-set.js';

/**
 * The terms of the filter-string language (spec 1.2): canonical name,
 * aliases, whether the term may appear once (with one or more values) or many
 * times (with exactly one value each), and the addFilter type its values go to.
 */
interface TermSpec {
  readonly name: string;
  readonly once: boolean;
  /** undefined: prefix (type by specificity) or extcommunity (always an error). */
  readonly type: FilterType | undefined;
}

const TERM_LIST: readonly (TermSpec & { aliases: readonly string[] })[] = [
  { name: 'project', aliases: ['proj'], once: true, type: 'project' },
  { name: 'collector', aliases: ['coll'], once: true, type: 'collector' },
  { name: 'router', aliases: ['rout'], once: true, type: 'router' },
  { name: 'type', aliases: [], once: true, type: 'record-type' },
  { name: 'resourcetype', aliases: ['restype'], once: true, type: 'resource-type' },
  { name: 'peer', aliases: [], once: true, type: 'peer-asn' },
  { name: 'origin', aliases: ['orig'], once: true, type: 'origin-asn' },
  { name: 'prefix', aliases: ['pref'], once: true, type: undefined },
  { name: 'community', aliases: ['comm'], once: true, type: 'community' },
  { name: 'aspath', aliases: ['path'], once: false, type: 'aspath' },
  { name: 'extcommunity', aliases: ['extc'], once: true, type: undefined },
  { name: 'ipversion', aliases: ['ipv'], once: true, type: 'ipversion' },
  { name: 'elemtype', aliases: [], once: true, type: 'elemtype' },
];

const TERMS = new Map<string, TermSpec>();
for (const t of TERM_LIST) for (const word of [t.name, ...t.aliases]) TERMS.set(word, t);

const SPECIFICITIES = new Map<string, FilterType>([
  ['any', 'prefix-any'],
  ['more', 'prefix-more'],
  ['less', 'prefix-less'],
  ['exact', 'prefix-exact'],
]);

/** Where the parser is: expecting a term, a value (after a term or a specificity), a prefix item, or what follows a value. */
const State = { Term: 0, Value: 1, PrefixItem: 2, AfterValue: 3 } as const;
type State = (typeof State)[keyof typeof State];

interface Token {
  /** The text, quotes stripped for a quoted value. */
  text: string;
  /** Offset of the token's first character (the opening quote for a quoted value). */
  start: number;
  quoted: boolean;
}

/**
 * Parses a BGPStream filter string (spec 1) into a NEW FilterSet. Nothing is
 * applied anywhere on error: the caller merges the result, so a string that
 * fails after valid clauses leaves no filter installed (the reference keeps
 * the clauses before the error).
 *
 * Reproduced on purpose:
 *   - tokens are split on ' ' only; white space of other kinds is skipped
 *     before a token but does not end one (`project\tris` is one token, an
 *     unknown term);
 *   - after a value, any token but `and` is another value of the same term
 *     (`collector rrc00 type updates` = collectors rrc00, type, updates);
 *   - the token after a specificity word is always a prefix (`prefix more and`
 *     tries `and` as a prefix); a specificity carries over to later prefixes;
 *   - `ipversion` keeps the last value (`ipv 4 6` = IPv6).
 *
 * Throws FilterError with the bad token and its 0-based position.
 */
export function parseFilterString(text: string): FilterSet {
  const set = new FilterSet();
  const used = new Set<string>();
  const n = text.length;
  let pos = 0;
  let state: State = State.Term;
  let term: TermSpec | undefined;
  let prefixType: FilterType = 'prefix-more';

  /** The next token, or undefined at the end. Quoted values are read only where a value may come. */
  const next = (valueAllowed: boolean): Token | undefined => {
    while (pos < n && isCSpace(text.charCodeAt(pos))) pos++;
    if (pos >= n) return undefined;
    const start = pos;
    if (valueAllowed && text[start] === '"') {
      const close = text.indexOf('"', start + 1);
      if (close < 0) throw new FilterError('Missing closing quote', text.slice(start), start);
      const value = text.slice(start + 1, close);
      pos = close + 1;
      if (pos < n && text[pos] !== ' ') {
        let end = text.indexOf(' ', pos);
        if (end < 0) end = n;
        throw new FilterError(
          `Found garbage after quoted "${value}": '${text.slice(pos, end)}'`,
          text.slice(pos, end),
          pos,
        );
      }
      return { text: value, start, quoted: true };
    }
    let end = text.indexOf(' ', start);
    if (end < 0) end = n;
    pos = end;
    return { text: text.slice(start, end), start, quoted: false };
  };

  const addValue = (tok: Token, t: TermSpec, type: FilterType | undefined): void => {
    if (t.name === 'extcommunity') {
      throw new FilterError(
        'Implementation of filter type Extended Community is still to come!',
        tok.text,
        tok.start,
      );
    }
    try {
      set.addFilter(type ?? (t.type as FilterType), tok.text);
    } catch (err) {
      if (err instanceof FilterError) throw err.at(tok.start, tok.text);
      throw err;
    }
  };

  for (;;) {
    const tok = next(state !== State.Term);
    if (tok === undefined) break;
    switch (state) {
      case State.Term: {
        const t = TERMS.get(tok.text);
        if (t === undefined)
          throw new FilterError(`Expected a valid term, found '${tok.text}'`, tok.text, tok.start);
        if (t.once && used.has(t.name)) {
          throw new FilterError(`Term '${t.name}' used more than once`, tok.text, tok.start);
        }
        used.add(t.name);
        term = t;
        if (t.name === 'prefix') {
          prefixType = 'prefix-more';
          state = State.PrefixItem;
        } else {
          state = State.Value;
        }
        break;
      }
      case State.PrefixItem:
        if (!tok.quoted && SPECIFICITIES.has(tok.text)) {
          prefixType = SPECIFICITIES.get(tok.text)!;
          state = State.Value;
          break;
        }
        addValue(tok, term!, prefixType);
        state = State.AfterValue;
        break;
      case State.Value:
        addValue(tok, term!, term!.name === 'prefix' ? prefixType : undefined);
        state = State.AfterValue;
        break;
      case State.AfterValue:
        if (!tok.quoted && tok.text === 'and') {
          state = State.Term;
          break;
        }
        if (!tok.quoted && tok.text === 'or') {
          throw new FilterError("'or' is not yet implemented", tok.text, tok.start);
        }
        if (!term!.once) {
          throw new FilterError(`term '${term!.name}' does not allow multiple values`, tok.text, tok.start);
        }
        if (term!.name === 'prefix') {
          if (!tok.quoted && SPECIFICITIES.has(tok.text)) {
            prefixType = SPECIFICITIES.get(tok.text)!;
            state = State.Value;
            break;
          }
          addValue(tok, term!, prefixType);
          break;
        }
        addValue(tok, term!, undefined);
        break;
    }
  }

  switch (state) {
    case State.Term:
      throw new FilterError('Expected term, found end of string', '', n);
    case State.Value:
    case State.PrefixItem:
      throw new FilterError('Expected argument, found end of string', '', n);
    default:
      return set;
  }
}
