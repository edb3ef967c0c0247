import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Messages } from '@salesforce/core';
import { readDefinitionFile, type Definition } from './request.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'definitions');

export type LoadedDefinition = { file: string; definition: Definition };

/** A folder's JSON file is a definition when its `$schema` names the definition schema (any path or URL to it). */
export const DEFINITION_SCHEMA_FILE = 'integration-user-definition.schema.json';
export const declaresDefinitionSchema = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { $schema?: unknown }).$schema === 'string' &&
  String((value as { $schema: string }).$schema).endsWith(DEFINITION_SCHEMA_FILE);

/**
 * The definitions behind --definition-file: each file given, and each *.json of a folder given that declares the
 * definition schema (others are skipped, listed). Sorted by file within a folder; each validated like a single file.
 */
export async function loadDefinitions(
  paths: readonly string[],
): Promise<{ definitions: LoadedDefinition[]; skipped: string[]; fromFolder: boolean }> {
  const definitions: LoadedDefinition[] = [];
  const skipped: string[] = [];
  let fromFolder = false;
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw messages.createError('error.DefinitionPathMissing', [path]);
    if (!info.isDirectory()) {
      definitions.push({ file: resolve(path), definition: await readDefinitionFile(path) });
      continue;
    }
    fromFolder = true;
    const names = (await readdir(path)).filter((n) => n.toLowerCase().endsWith('.json')).sort();
    for (const name of names) {
      const file = resolve(join(path, name));
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(file, 'utf8'));
      } catch {
        skipped.push(file);
        continue;
      }
      if (!declaresDefinitionSchema(raw)) skipped.push(file);
      else definitions.push({ file, definition: await readDefinitionFile(file) });
    }
  }
  if (definitions.length === 0)
    throw messages.createError('error.NoDefinitions', [paths.join(', '), DEFINITION_SCHEMA_FILE]);
  const seen = new Map<string, string>();
  for (const d of definitions) {
    const key = (d.definition.username ?? '').toLowerCase();
    const other = seen.get(key);
    if (other)
      throw messages.createError('error.DuplicateUsername', [
        d.definition.username ?? '',
        basename(other),
        basename(d.file),
      ]);
    seen.set(key, d.file);
  }
  return { definitions, skipped, fromFolder };
}
