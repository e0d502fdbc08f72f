/** `bgpstream ingest`: not written yet. */
export async function ingestCommand(_argv: string[]): Promise<number> {
  process.stderr.write('bgpstream ingest: not implemented yet\n');
  return 1;
}
