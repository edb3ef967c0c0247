/** An org's settings (seeded, then mutable by tests) and the schema its seed gives it. */
import { readFileSync } from 'node:fs';
import { schemaVersions } from './metadata-schema.js';
import { parseProfileXml, profileReferences, type ProfileDoc } from './profiles.js';
import { Schema } from './schema.js';
import type { EmulatorSeed } from './seed.js';

/** The newest API version of Salesforce's metadata data (../shared/reference/salesforce/metadata-types.json): 66.0. */
export const DEFAULT_MAX_API_VERSION = schemaVersions().newest;

export type OrgConfig = {
  queryPageSize: number;
  deployPolls: number;
  retrievePolls: number;
  maxApiVersion: string;
  /** most groups an aggregate query may return (Salesforce: 2,000, one batch; aggregates are never paged) */
  aggregateRowLimit: number;
  /**
   * what the REST API does with an aggregate result larger than one batch: 'refuse' the query (default, what
   * Salesforce is reported to do), or answer the first batch with a nextRecordsUrl that then fails ('locator')
   */
  aggregateOverflow: 'refuse' | 'locator';
  /** objects the running (API) user cannot read: the API answers as if they did not exist */
  unreadableObjects: string[];
  /**
   * which DML a /composite allOrNone transaction refuses as MIXED_DML_OPERATION (docs/salesforce-behaviour.md,
   * "Composite API"): 'setup-with-non-setup' (default: setup objects such as User and PermissionSetAssignment go
   * together, as Apex tests do; a setup and a non-setup object don't) or 'any-setup-mix' (User with any other setup
   * object is refused too, the literal reading of the Apex guide's "Don't include more than one of these sObjects")
   */
  compositeMixedDml: 'setup-with-non-setup' | 'any-setup-mix';
};

export function configFromSeed(seed: EmulatorSeed): OrgConfig {
  return {
    queryPageSize: seed.queryPageSize ?? 2000,
    deployPolls: seed.deployPolls ?? 0,
    retrievePolls: seed.retrievePolls ?? 0,
    // a real org today serves the newest release the schema data knows
    maxApiVersion: seed.maxApiVersion ?? DEFAULT_MAX_API_VERSION,
    aggregateRowLimit: 2000,
    aggregateOverflow: 'refuse',
    unreadableObjects: [...(seed.unreadableObjects ?? [])],
    compositeMixedDml: seed.compositeMixedDml ?? 'setup-with-non-setup',
  };
}

/**
 * The org's schema: the standard objects plus the seed's user permissions, custom objects and fields, and
 * whatever its seeded profiles name (the org a profile came from has them); also the parsed profiles, by name.
 */
export function schemaFromSeed(seed: EmulatorSeed): { schema: Schema; profileDocs: Map<string, ProfileDoc> } {
  const extraPerms = new Set(seed.userPermissions ?? []);
  const profileDocs = new Map<string, ProfileDoc>();
  const refs: Array<ReturnType<typeof profileReferences>> = [];
  for (const p of seed.profiles ?? []) {
    const xml = p.metadataXml ?? (p.metadataFile ? readFileSync(p.metadataFile, 'utf8') : undefined);
    if (!xml) continue;
    const doc = parseProfileXml(xml);
    profileDocs.set(p.name, doc);
    const r = profileReferences(doc);
    refs.push(r);
    for (const u of r.userPermissions) extraPerms.add(u);
  }
  const schema = new Schema([...extraPerms]);
  for (const r of refs) {
    for (const o of r.objects) if (!schema.get(o)) schema.addCustomObject({ name: o });
    for (const f of r.fields) {
      const [o, name] = f.split('.');
      if (name && !schema.get(o)!.fields.has(name.toLowerCase())) schema.addCustomField(o, { name });
    }
  }
  for (const o of seed.objects ?? []) {
    if (schema.get(o.name) && !schema.get(o.name)!.custom) {
      for (const f of o.fields ?? []) schema.addCustomField(o.name, f);
    } else schema.addCustomObject(o);
  }
  return { schema, profileDocs };
}
