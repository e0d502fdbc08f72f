import { FilterError } from './filter-error.js';

/**
 * Cisco-style AS path regular expressions (spec 2.5), converted the way the
 * reference converts them to a POSIX extended regex, then to an equivalent
 * JavaScript RegExp:
 *
 *   - a leading `!` negates the expression (the path must NOT match);
 *   - `_` becomes `(^|$|[ {},_])`: start, end, or a separator of the rendered
 *     path. It is a capture group, so back-references are renumbered;
 *   - `{` and `}` match literal braces (AS_SET text), there are no intervals;
 *   - `\1`..`\9` refer to the user's groups, renumbered past the `_` groups;
 *     a reference to a group not opened yet is an error;
 *   - everything else keeps its POSIX ERE meaning, including glibc's escapes
 *     (`\w \W \s \S \b \B \< \> \` \'`; any other `\x` is the literal x).
 *
 * The converted POSIX form must stay within MAX_CONVERTED_LENGTH characters,
 * like the reference's fixed buffer.
 *
 * Deliberate differences: inside a bracket expression `_`, `{`, `}` and `(` are
 * plain characters (the reference rewrites `_` there too, which breaks the
 * bracket); more than 9 groups work (the reference overflows a 10-slot table);
 * `(?` is rejected instead of being handed to the regex engine.
 */
export const MAX_CONVERTED_LENGTH = 240;

/** What `_` becomes. */
const UNDERSCORE = '(^|$|[ {},_])';

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: '0-9A-Za-z',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  cntrl: '\\x00-\\x1f\\x7f',
  print: ' -~',
  graph: '!-~',
};

export interface AsPathRegex {
  /** The filter value as given, `!` included. */
  readonly pattern: string;
  readonly negated: boolean;
  /** The POSIX ERE the reference would compile. */
  readonly posix: string;
  /** The compiled equivalent, tested against `AsPath.toString()`. */
  readonly regex: RegExp;
}

export function compileAsPathRegex(pattern: string): AsPathRegex {
  const negated = pattern.startsWith('!');
  const body = negated ? pattern.slice(1) : pattern;
  const fail = (what: string) => new FilterError(`invalid AS path regex '${pattern}': ${what}`, pattern);
  let posix = '';
  let js = '';
  let userGroups = 0;
  let posixGroups = 0;
  /** groupMap[n]: the POSIX group number of the user's group n. */
  const groupMap: number[] = [0];
  const n = body.length;
  for (let i = 0; i < n; i++) {
    const c = body[i];
    switch (c) {
      case '_':
        posix += UNDERSCORE;
        js += UNDERSCORE;
        posixGroups++;
        break;
      case '{':
      case '}':
        posix += `\\${c}`;
        js += `\\${c}`;
        break;
      case '(':
        if (body[i + 1] === '?') throw fail(`'(?' at offset ${i} is not POSIX`);
        userGroups++;
        posixGroups++;
        groupMap.push(posixGroups);
        posix += c;
        js += c;
        break;
      case '[': {
        const end = bracketEnd(body, i);
        if (end < 0) throw fail(`unmatched '[' at offset ${i}`);
        posix += body.slice(i, end + 1);
        js += bracketToJs(body.slice(i, end + 1), fail);
        i = end;
        break;
      }
      case '\\': {
        if (i + 1 >= n) throw fail('trailing backslash');
        const e = body[++i];
        if (e >= '0' && e <= '9') {
          const ref = e.charCodeAt(0) - 0x30;
          if (ref === 0 || ref > userGroups) throw fail(`back-reference \\${ref} to a group not opened yet`);
          const target = groupMap[ref];
          posix += `\\${target}`;
          // Wrapped so that a following digit never extends the group number.
          js += `(?:\\${target})`;
        } else {
          posix += `\\${e}`;
          js += escapeToJs(e);
        }
        break;
      }
      default:
        posix += c;
        js += c;
    }
  }
  if (posix.length > MAX_CONVERTED_LENGTH) {
    throw fail(
      `regex too long: the converted form has ${posix.length} characters (at most ${MAX_CONVERTED_LENGTH})`,
    );
  }
  let regex: RegExp;
  try {
    regex = new RegExp(js);
  } catch (err) {
    throw fail((err as Error).message);
  }
  return { pattern, negated, posix, regex };
}

/** The index of the `]` closing the bracket expression opening at `start`, or -1. */
function bracketEnd(s: string, start: number): number {
  let j = start + 1;
  if (s[j] === '^') j++;
  if (s[j] === ']') j++; // a leading ] is a literal
  while (j < s.length) {
    const c = s[j];
    if (c === ']') return j;
    if (c === '[' && (s[j + 1] === ':' || s[j + 1] === '.' || s[j + 1] === '=')) {
      const close = s.indexOf(`${s[j + 1]}]`, j + 2);
      if (close < 0) return -1;
      j = close + 2;
      continue;
    }
    j++;
  }
  return -1;
}

/** A POSIX bracket expression (backslash literal, `[:class:]`, `[.c.]`, `[=c=]`) as a JS character class. */
function bracketToJs(s: string, fail: (what: string) => FilterError): string {
  let out = '[';
  let j = 1;
  if (s[j] === '^') {
    out += '^';
    j++;
  }
  if (s[j] === ']') {
    out += '\\]';
    j++;
  }
  const end = s.length - 1;
  while (j < end) {
    const c = s[j];
    if (c === '[' && (s[j + 1] === ':' || s[j + 1] === '.' || s[j + 1] === '=')) {
      const kind = s[j + 1];
      const close = s.indexOf(`${kind}]`, j + 2);
      const name = s.slice(j + 2, close);
      if (kind === ':') {
        const cls = Object.hasOwn(POSIX_CLASSES, name) ? POSIX_CLASSES[name] : undefined;
        if (cls === undefined) throw fail(`unknown character class '[:${name}:]'`);
        out += cls;
      } else {
        if (name.length !== 1) throw fail(`unsupported collating element '[${kind}${name}${kind}]'`);
        out += classChar(name);
      }
      j = close + 2;
      continue;
    }
    out += classChar(c);
    j++;
  }
  return `${out}]`;
}

function classChar(c: string): string {
  return c === '\\' || c === '[' || c === ']' || c === '^' ? `\\${c}` : c;
}

/** glibc's meaning of `\x` outside brackets, as JS. */
function escapeToJs(e: string): string {
  switch (e) {
    case 'w':
    case 'W':
    case 's':
    case 'S':
    case 'b':
    case 'B':
      return `\\${e}`;
    case '<':
      return '\\b(?=\\w)';
    case '>':
      return '\\b(?<=\\w)';
    case '`':
      return '^';
    case "'":
      return '$';
    default:
      // Any other escaped character is itself.
      return /[\\^$.*+?()[\]{}|/-]/.test(e) ? `\\${e}` : e;
  }
}
