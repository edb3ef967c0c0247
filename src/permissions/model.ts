/**
 * The permission model shared by every command: a permission set's content in Metadata API terms.
 *
 * Sections are the repeated children of the PermissionSet metadata type, described once in registry.ts. Each entry
 * is a flat record of the section's fields; `key` names the field that identifies the entry, `fields` lists the
 * fields in schema order (the Metadata API rejects elements out of order), `grants` the boolean fields whose `true`
 * grants something (an entry whose grants are all false grants nothing).
 */
import { SECTION_NAMES, sectionFacts, type SectionName } from './registry.js';

export type EntryValue = string | boolean;
export type Entry = Record<string, EntryValue>;

export type SectionSpec = {
  /** field identifying an entry within the section */
  key: string;
  /** the fields the model holds, in the schema's sequence order */
  fields: readonly string[];
  /** boolean fields that grant access when true */
  grants: readonly string[];
};

export type { SectionName } from './registry.js';

/** The model's view of each section (registry.ts holds the facts). */
export const PERMISSION_SET_SECTIONS: Readonly<Record<SectionName, SectionSpec>> = Object.fromEntries(
  SECTION_NAMES.map((name) => {
    const facts = sectionFacts(name);
    const optional = new Set(facts.optionalFields ?? []);
    return [name, { key: facts.key, fields: facts.fields.filter((f) => !optional.has(f)), grants: facts.grants }];
  }),
) as unknown as Record<SectionName, SectionSpec>;

/** Section names in schema order (the PermissionSet sequence is alphabetical). */
export const SECTION_ORDER = [...SECTION_NAMES].sort();

/** A permission set's content. `license` undefined means no license (a companion set). */
export type PermissionSetDoc = {
  fullName: string;
  label: string;
  description?: string;
  license?: string;
  hasActivationRequired?: boolean;
  sections: Partial<Record<SectionName, Entry[]>>;
};

/** The API name of the Salesforce API Integration permission set license, as Salesforce writes it in `<license>`. */
export const INTEGRATION_PSL = 'SalesforceAPIIntegrationPsl';
export const INTEGRATION_PSL_LABEL = 'Salesforce API Integration';
export const INTEGRATION_USER_LICENSE = 'Salesforce Integration';
export const INTEGRATION_PROFILE = 'Minimum Access - API Only Integrations';
export const LEGACY_INTEGRATION_PROFILE = 'Salesforce API Only System Integrations';
