import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { bunzip2Js } from './bzip2-js.js';
import { bunzip2Process } from './bzip2-process.js';

export type Bzip2Implementation = 'lbzip2' | 'bzip2' | 'js';

export const BZIP2_ENV = 'BGPSTREAM_BZIP2';
const IMPLEMENTATIONS: readonly Bzip2Implementation[] = ['lbzip2', 'bzip2', 'js'];

/**
 * Picks the decoder by measurement (core/bench/bzip2-bench.mjs): lbzip2 decodes in parallel and was
 * ~2x bzip2 and ~8x the pure-JS decoder, so it comes first; the JS one is only for machines with
 * neither tool. BGPSTREAM_BZIP2=js|lbzip2|bzip2 forces one, which the tests use to cover each.
 */
export function chooseBzip2(env: NodeJS.ProcessEnv = process.env): {
  impl: Bzip2Implementation;
  path?: string;
} {
  const forced = env[BZIP2_ENV];
  if (forced) {
    if (!(IMPLEMENTATIONS as readonly string[]).includes(forced)) {
      throw new Error(`${BZIP2_ENV}=${forced}: expected one of ${IMPLEMENTATIONS.join(', ')}`);
    }
    const impl = forced as Bzip2Implementation;
    if (impl === 'js') return { impl };
    const path = findOnPath(impl, env.PATH);
    if (!path) throw new Error(`${BZIP2_ENV}=${impl} but ${impl} is not on PATH`);
    return { impl, path };
  }
  for (const impl of ['lbzip2', 'bzip2'] as const) {
    const path = findOnPath(impl, env.PATH);
    if (path) return { impl, path };
  }
  return { impl: 'js' };
}

export function bunzip2(input: AsyncIterable<Uint8Array>, stop?: AbortSignal): AsyncGenerator<Uint8Array> {
  const { impl, path } = chooseBzip2();
  return impl === 'js' || !path ? bunzip2Js(input) : bunzip2Process(path, input, stop);
}

const pathCache = new Map<string, string | undefined>();

/** Resolved once per PATH value, since every .bz2 opened would otherwise stat the PATH again. */
export function findOnPath(command: string, pathVar = process.env.PATH ?? ''): string | undefined {
  const key = `${command}\0${pathVar}`;
  if (pathCache.has(key)) return pathCache.get(key);
  let found: string | undefined;
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      found = candidate;
      break;
    } catch {
      // not in this directory
    }
  }
  pathCache.set(key, found);
  return found;
}
