import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COLUMNS_BEGIN, COLUMNS_END, ELEM_COLUMNS, renderColumnTable, updateReadme } from '../src/index.js';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

describe('schemas/README.md', () => {
  it('holds the column table generated from src/elem-columns.ts (run `node scripts/make-readme.mjs` after a build)', () => {
    expect(updateReadme(readme)).toBe(readme);
  });

  it('documents every column with its type, meaning and example', () => {
    const block = readme.slice(readme.indexOf(COLUMNS_BEGIN), readme.indexOf(COLUMNS_END));
    for (const c of ELEM_COLUMNS) {
      const line = block.split('\n').find((l) => new RegExp(`\\| \`${c.name}\` +\\|`).test(l));
      expect(line, c.name).toBeDefined();
      expect(line).toContain(c.example.replace(/`/g, "'").replace(/\|/g, '\\|'));
    }
    expect(
      renderColumnTable()
        .split('\n')
        .filter((l) => /^\| +\d+ \|/.test(l)).length,
    ).toBe(ELEM_COLUMNS.length);
  });

  it('refuses a README without the markers', () => {
    expect(() => updateReadme('# nothing')).toThrow(/markers/);
  });
});
