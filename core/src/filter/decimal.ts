/**
 * Reads an unsigned decimal the way the reference does with C `strtoul(s, &end, 10)`
 * followed by "the whole string must be consumed" and a range check: leading
 * white space and a `+` are accepted, and an empty string reads as 0 (which is
 * why the community `:300` means `0:300`). A `-` is accepted only for `-0`
 * (strtoul negates, so any other negative number is far out of range).
 * Returns undefined when the text is not such a number or exceeds `max`.
 */
export function parseUnsignedDecimal(text: string, max: number): number | undefined {
  let i = 0;
  const n = text.length;
  while (i < n && isCSpace(text.charCodeAt(i))) i++;
  let negative = false;
  const sign = text.charCodeAt(i);
  if (sign === 0x2b || sign === 0x2d) {
    negative = sign === 0x2d;
    i++;
  }
  const digitsStart = i;
  let value = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return undefined;
    value = value * 10 + c;
  }
  if (i === digitsStart) {
    // strtoul consumed nothing: only a string that was empty from the start is "all consumed".
    return n === 0 ? 0 : undefined;
  }
  if (negative && value !== 0) return undefined;
  return value <= max ? value : undefined;
}

/** C `isspace` in the C locale: space, \t, \n, \v, \f, \r. */
export function isCSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}
