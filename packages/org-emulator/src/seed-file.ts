import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { EmulatorSeed } from './seed.js';

/** Reads a seed (or an array of seeds, one per org) from a JSON file; profile metadataFile paths are relative to it. */
export async function loadSeed(file: string): Promise<EmulatorSeed | EmulatorSeed[]> {
  const seed = JSON.parse(await readFile(file, 'utf8')) as EmulatorSeed | EmulatorSeed[];
  for (const s of Array.isArray(seed) ? seed : [seed]) {
    for (const p of s.profiles ?? []) if (p.metadataFile) p.metadataFile = resolve(dirname(file), p.metadataFile);
  }
  return seed;
}
