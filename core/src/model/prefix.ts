import { IpAddress } from './address.js';

/** An IP prefix: a network address and a mask length. */
export class Prefix {
  private text: string | undefined;

  constructor(
    readonly address: IpAddress,
    readonly length: number,
  ) {}

  get family(): 4 | 6 {
    return this.address.family;
  }

  /** Parses `addr/len`; host bits are masked off, as bgpstream_str2pfx does. Throws on bad input. */
  static parse(text: string): Prefix {
    const slash = text.indexOf('/');
    if (slash < 0) throw new Error(`invalid prefix '${text}': expected address/length`);
    const address = IpAddress.tryParse(text.slice(0, slash));
    const lenText = text.slice(slash + 1);
    if (!address) throw new Error(`invalid prefix '${text}': bad address`);
    if (!/^\d{1,3}$/.test(lenText) || Number(lenText) > address.bitLength) {
      throw new Error(`invalid prefix '${text}': bad length '${lenText}'`);
    }
    const length = Number(lenText);
    return new Prefix(address.masked(length), length);
  }

  /** True when `other` is this prefix or a more specific one inside it (same family). */
  contains(other: Prefix): boolean {
    if (other.family !== this.family || other.length < this.length) return false;
    const a = this.address;
    const b = other.address.masked(this.length);
    return a.masked(this.length).equals(b);
  }

  equals(other: Prefix): boolean {
    return this.length === other.length && this.address.equals(other.address);
  }

  toString(): string {
    if (this.text === undefined) this.text = `${this.address.toString()}/${this.length}`;
    return this.text;
  }
}
