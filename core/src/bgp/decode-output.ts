import type { Elem } from '../model/elem.js';

/** What decoding one record produces: its elems and the problems it got past. */
export class DecodeOutput {
  readonly elems: Elem[] = [];
  problems: string[] | null = null;

  addProblem(message: string): void {
    if (this.problems === null) this.problems = [];
    this.problems.push(message);
  }
}
