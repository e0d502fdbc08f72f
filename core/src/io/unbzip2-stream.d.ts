// Just what bzip2-js.ts uses of this CommonJS package: a synchronous `through` stream.
declare module 'unbzip2-stream' {
  import type { EventEmitter } from 'node:events';

  interface Bunzip2Stream extends EventEmitter {
    write(data: Uint8Array): boolean;
    end(): void;
    destroy(): void;
  }

  function unbzip2Stream(): Bunzip2Stream;
  export = unbzip2Stream;
}
