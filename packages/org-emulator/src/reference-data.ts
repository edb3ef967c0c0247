/**
 * Salesforce's own schema data, as the emulator serves it: `../shared/reference/salesforce/sobjects.json` (real
 * orgs' describes, per API version) plus `data/sobjects-supplement.json` (objects real orgs have that the file
 * lacks, each with its evidence). Read once per process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type RefField = { type: string; since: string; evidence?: string };
export type RefLink = { sObject: string; since: string };
export type RefObject = {
  since: string;
  evidence?: string;
  /** supplement only: served on the Tooling API alone */
  tooling?: boolean;
  fields: Record<string, RefField>;
  relationships: Record<string, RefLink>;
  childRelationships: Record<string, RefLink>;
};
type RefFile = { sObjects: Record<string, RefObject>; versions?: string[] };

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `SF_REFERENCE_DIR` or the `shared/` folder beside the repository (see the repository README). */
export function referenceDir(): string {
  const fromEnv = process.env.SF_REFERENCE_DIR;
  if (fromEnv) return fromEnv;
  return join(PACKAGE_ROOT, '..', '..', '..', 'shared', 'reference', 'salesforce');
}

let cached: Record<string, RefObject> | undefined;

/** Every sObject of the reference file and the supplement (the supplement adds objects, never overrides). */
export function referenceSObjects(): Record<string, RefObject> {
  if (cached) return cached;
  const file = join(referenceDir(), 'sobjects.json');
  if (!existsSync(file)) {
    throw new Error(
      `Salesforce reference data not found: ${file}. The org emulator needs ../shared beside the repository (or SF_REFERENCE_DIR).`,
    );
  }
  const main = JSON.parse(readFileSync(file, 'utf8')) as RefFile;
  const supplement = JSON.parse(
    readFileSync(join(PACKAGE_ROOT, 'data', 'sobjects-supplement.json'), 'utf8'),
  ) as RefFile;
  const out: Record<string, RefObject> = { ...main.sObjects };
  for (const [name, obj] of Object.entries(supplement.sObjects)) {
    if (out[name]) throw new Error(`sobjects-supplement.json: ${name} is already in sobjects.json`);
    out[name] = obj;
  }
  cached = out;
  return out;
}
