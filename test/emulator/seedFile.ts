import { readFile } from 'node:fs/promises';
import type { EmulatorSeed } from './seed.js';

/** Reads a seed (or an array of seeds, one per org) from a JSON file. */
export async function loadSeed(file: string): Promise<EmulatorSeed | EmulatorSeed[]> {
  return JSON.parse(await readFile(file, 'utf8')) as EmulatorSeed | EmulatorSeed[];
}
