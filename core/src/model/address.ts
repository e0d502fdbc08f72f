/**
 * An IPv4 or IPv6 address held as four unsigned 32-bit words (IPv4 uses only
 * `w0`). Words instead of a Uint8Array: the decoder creates one per elem, and
 * plain number fields cost a fraction of a typed-array allocation.
 */
export type AddressFamily = 4 | 6;

export class IpAddress {
  private text: string | undefined;

  constructor(
    readonly family: AddressFamily,
    readonly w0: number,
    readonly w1 = 0,
    readonly w2 = 0,
    readonly w3 = 0,
  ) {}

  static v4(word: number): IpAddress {
    return new IpAddress(4, word >>> 0);
  }

  /** Reads 4 (IPv4) or 16 (IPv6) bytes at `off`. The caller checks bounds. */
  static fromBytes(buf: Uint8Array, off: number, family: AddressFamily): IpAddress {
    if (family === 4) return new IpAddress(4, readWord(buf, off));
    return new IpAddress(
      6,
      readWord(buf, off),
      readWord(buf, off + 4),
      readWord(buf, off + 8),
      readWord(buf, off + 12),
    );
  }

  /** Parses dotted IPv4 or RFC 4291 IPv6 text (with `::` and an embedded IPv4 tail). Throws on bad input. */
  static parse(text: string): IpAddress {
    const parsed = text.includes(':') ? parseV6(text) : parseV4(text);
    if (!parsed) throw new Error(`invalid IP address '${text}'`);
    return parsed;
  }

  static tryParse(text: string): IpAddress | undefined {
    return text.includes(':') ? parseV6(text) : parseV4(text);
  }

  get bitLength(): number {
    return this.family === 4 ? 32 : 128;
  }

  /** Word `i` (0..3); IPv4 has only word 0. */
  word(i: number): number {
    return i === 0 ? this.w0 : i === 1 ? this.w1 : i === 2 ? this.w2 : this.w3;
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.family === 4 ? 4 : 16);
    const view = new DataView(out.buffer);
    view.setUint32(0, this.w0);
    if (this.family === 6) {
      view.setUint32(4, this.w1);
      view.setUint32(8, this.w2);
      view.setUint32(12, this.w3);
    }
    return out;
  }

  /** The address with every bit past `length` cleared. */
  masked(length: number): IpAddress {
    if (length >= this.bitLength) return this;
    return new IpAddress(
      this.family,
      maskWord(this.w0, length),
      maskWord(this.w1, length - 32),
      maskWord(this.w2, length - 64),
      maskWord(this.w3, length - 96),
    );
  }

  equals(other: IpAddress): boolean {
    return (
      this.family === other.family &&
      this.w0 === other.w0 &&
      this.w1 === other.w1 &&
      this.w2 === other.w2 &&
      this.w3 === other.w3
    );
  }

  /** Text as glibc's inet_ntop prints it, which is what bgpdump and bgpreader print. */
  toString(): string {
    if (this.text === undefined) this.text = this.family === 4 ? v4Text(this.w0) : v6Text(this);
    return this.text;
  }
}

function readWord(buf: Uint8Array, off: number): number {
  return ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
}

/** Keeps the first `bits` bits of a word (bits <= 0: none, >= 32: all). */
export function maskWord(word: number, bits: number): number {
  if (bits >= 32) return word;
  if (bits <= 0) return 0;
  return (word & (0xffffffff << (32 - bits))) >>> 0;
}

/** "0".."255": number-to-text conversion is a measurable share of printing millions of addresses. */
const OCTETS: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));

export function v4Text(w: number): string {
  return `${OCTETS[w >>> 24]}.${OCTETS[(w >>> 16) & 255]}.${OCTETS[(w >>> 8) & 255]}.${OCTETS[w & 255]}`;
}

function v6Text(a: IpAddress): string {
  const groups = [
    a.w0 >>> 16,
    a.w0 & 0xffff,
    a.w1 >>> 16,
    a.w1 & 0xffff,
    a.w2 >>> 16,
    a.w2 & 0xffff,
    a.w3 >>> 16,
    a.w3 & 0xffff,
  ];
  // Longest run of at least two zero groups, the first one on a tie (glibc).
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  // glibc prints an IPv4 tail for ::a.b.c.d and ::ffff:a.b.c.d.
  const v4Tail = bestStart === 0 && (bestLen === 6 || (bestLen === 5 && groups[5] === 0xffff));
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    if (v4Tail && i === 6) {
      out += v4Text(a.w3);
      break;
    }
    out += groups[i].toString(16);
    if (i < 7) out += ':';
  }
  return out;
}

function parseV4(text: string): IpAddress | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let word = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    word = word * 256 + n;
  }
  return new IpAddress(4, word);
}

function parseV6(text: string): IpAddress | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseV4(part);
        if (!v4) return undefined;
        out.push(v4.w0 >>> 16, v4.w0 & 0xffff);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
        out.push(Number.parseInt(part, 16));
      }
    }
    return out;
  };
  const head = parseGroups(halves[0]);
  const tail = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (!head || !tail) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return undefined;
    groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  const w = (i: number) => ((groups[i] << 16) | groups[i + 1]) >>> 0;
  return new IpAddress(6, w(0), w(2), w(4), w(6));
}
