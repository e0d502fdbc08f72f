import type { DataInterfaceType } from './data-interface.js';

const types = new Map<string, DataInterfaceType>();

/** Adds a data interface; connectors (e.g. kafka) register theirs here so that core never imports them. */
export function registerDataInterface(type: DataInterfaceType): void {
  types.set(type.name, type);
}

export function getDataInterfaceTypes(): DataInterfaceType[] {
  return [...types.values()];
}

export function getDataInterfaceType(name: string): DataInterfaceType {
  const type = types.get(name);
  if (!type) {
    throw new Error(`unknown data interface '${name}' (available: ${[...types.keys()].join(', ')})`);
  }
  return type;
}
