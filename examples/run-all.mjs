// Runs every example (as CI does) and fails if one exits non-zero or prints nothing.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const examples = readdirSync(here).filter((f) => f.endsWith('.mjs') && f !== 'run-all.mjs');
let failed = 0;
for (const file of examples) {
  const res = spawnSync('node', [file], { cwd: here, encoding: 'utf8', timeout: 120_000 });
  const ok = res.status === 0 && res.stdout.trim().length > 0;
  if (!ok) failed++;
  console.log(`${ok ? 'ok' : 'FAILED'} ${file}`);
  if (!ok) console.log(res.stdout, res.stderr);
}
console.log(`${examples.length - failed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
