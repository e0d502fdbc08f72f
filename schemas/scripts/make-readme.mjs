#!/usr/bin/env node
// Writes the elem column table (from src/elem-columns.ts, through the built dist/) into README.md.
// `--check`: exit 1 when README.md is not up to date, write nothing. Run `pnpm build` first.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { updateReadme } from '../dist/index.js';

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const current = readFileSync(readmePath, 'utf8');
const next = updateReadme(current);
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('schemas/README.md is out of date: run `node scripts/make-readme.mjs`');
    process.exit(1);
  }
  console.log('schemas/README.md is up to date');
} else if (next !== current) {
  writeFileSync(readmePath, next);
  console.log('schemas/README.md updated');
} else {
  console.log('schemas/README.md already up to date');
}
