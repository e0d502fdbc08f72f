import type { Resource, ResourceQuery } from './resource.js';

export interface DataInterfaceOptionSpec {
  name: string;
  description: string;
  defaultValue?: string;
}

/** A configured source of resources (BGPStream's "data interface"). */
export interface DataInterface {
  readonly name: string;
  /** Sets an option; throws, naming the option, when it is unknown or its value is bad. */
  setOption(name: string, value: string): void;
  /** Throws, naming what is missing, when the options cannot work. Called by `start()`. */
  validate(): void;
  /** Resources that became available since the previous call (all of them on the first call). */
  nextResources(query: ResourceQuery): Promise<Resource[]>;
}

/** What the registry knows of a data interface before one is made. */
export interface DataInterfaceType {
  name: string;
  description: string;
  options: readonly DataInterfaceOptionSpec[];
  create(): DataInterface;
}

/** Shared option bookkeeping: rejects unknown names with the list of known ones. */
export function checkOptionName(type: DataInterfaceType, name: string): void {
  if (!type.options.some((o) => o.name === name)) {
    const known = type.options.map((o) => o.name).join(', ');
    throw new Error(`data interface '${type.name}' has no option '${name}' (options: ${known})`);
  }
}
