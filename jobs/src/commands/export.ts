/** `bgpstream export`: not written yet. */
export async function exportCommand(_argv: string[]): Promise<number> {
  process.stderr.write('bgpstream export: not implemented yet\n');
  return 1;
}
