/** `bgpstream query`: not written yet. */
export async function queryCommand(_argv: string[]): Promise<number> {
  process.stderr.write('bgpstream query: not implemented yet\n');
  return 1;
}
