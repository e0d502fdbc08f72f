import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The repository root (core/test/helpers → ../../..). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Real MRT samples: `MRT_SAMPLES_DIR`, or `../shared/mrt-samples` beside the checkout. They are never copied into the repository. */
export const samplesDir = process.env.MRT_SAMPLES_DIR ?? path.resolve(repoRoot, '../shared/mrt-samples');
export const haveSamples = existsSync(path.join(samplesDir, 'SHA256SUMS'));
export const noSamplesMessage = `MRT samples not found at ${samplesDir} (set MRT_SAMPLES_DIR): skipping`;

export function samplePath(rel: string): string {
  return path.join(samplesDir, rel);
}

/** Lines of a gzip-compressed expected-output file, without the final empty line. */
export function expectedLines(rel: string): string[] {
  const text = gunzipSync(readFileSync(path.join(samplesDir, 'expected', rel))).toString('utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Every sample that has `bgpdump -m` reference output, relative to the samples folder. */
export function samplesWithBgpdumpOutput(): string[] {
  const sums = readFileSync(path.join(samplesDir, 'SHA256SUMS'), 'utf8');
  return sums
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[1])
    .filter(
      (f): f is string =>
        !!f &&
        !f.startsWith('expected/') &&
        existsSync(path.join(samplesDir, 'expected/bgpdump-m', `${f}.txt.gz`)),
    );
}
