const FORMATS: readonly RegExp[] = [
  /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})$/,
  /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2})()$/,
  /^(\d{4})-(\d{1,2})-(\d{1,2})()()()$/,
];

/**
 * Parses a time as bgpreader does: `Y-m-d H:M:S`, `Y-m-d H:M`, `Y-m-d` (UTC)
 * or unix seconds; trailing white space allowed. Returns undefined when the
 * text is none of these.
 */
export function parseTime(text: string): number | undefined {
  const t = text.trimEnd();
  if (/^\d+$/.test(t)) return Number(t);
  for (const re of FORMATS) {
    const m = re.exec(t);
    if (!m) continue;
    const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === '' ? 0 : Number(x)));
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
    return Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
  }
  return undefined;
}
