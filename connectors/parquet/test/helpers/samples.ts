import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (connectors/parquet/test/helpers → ../../../..). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Real MRT samples: `MRT_SAMPLES_DIR`, or `../shared/mrt-samples` beside the checkout. Never copied into the repository. */
export const samplesDir = process.env.MRT_SAMPLES_DIR ?? path.resolve(repoRoot, '../shared/mrt-samples');
export const haveSamples = existsSync(path.join(samplesDir, 'SHA256SUMS'));
export const noSamplesMessage = `MRT samples not found at ${samplesDir} (set MRT_SAMPLES_DIR): skipping`;

export function samplePath(rel: string): string {
  return path.join(samplesDir, rel);
}

/** Every MRT sample (not the reference outputs), relative to the samples folder, sorted. */
export function allSamples(): string[] {
  const sums = readFileSync(path.join(samplesDir, 'SHA256SUMS'), 'utf8');
  return sums
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[1])
    .filter((f): f is string => !!f && !f.startsWith('expected/') && !f.endsWith('.md') && f.includes('/'))
    .sort();
}
