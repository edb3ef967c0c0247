/**
 * License rules from the org: which user permissions the Salesforce API Integration permission set license carries
 * (PermissionSetLicense.MaximumPermissions*, read by the same code `create` uses) and which user permissions the org
 * knows at all (PermissionSet's Permissions* fields). What the org doesn't know is reported, not written.
 */
import type { Connection } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import type { ConversionInput, OmittedEntry } from '../permissions/convert.js';
import type { Entry } from '../permissions/model.js';
import { getPslAllowedPermissions } from '../org-api/licenses.js';
import { builtInLabel } from '../permissions/labels.js';
import { PermissionSetReader } from './read-permission-sets.js';
import { CONNECTED_APP_SECTION, OTHER_SETUP_ENTITY_SECTION } from './setup-entities.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'access-reader');

export type OrgRules = {
  /** what the PSL carries; undefined when the org has no MaximumPermissions fields (then the built-in table applies) */
  licensedUserPermissions?: Set<string>;
  /** user permissions the org knows, lower case -> the org's spelling */
  knownUserPermissions: Map<string, string>;
  /** the org's labels of its user permissions (lower-case name -> label), from the same describe */
  permissionLabels: Map<string, string>;
  warnings: string[];
};

/** Reads both (a describe each and one or two small queries). */
export async function readOrgRules(conn: Connection, reader = new PermissionSetReader(conn)): Promise<OrgRules> {
  const warnings: string[] = [];
  const [knownUserPermissions, permissionLabels, licensedUserPermissions] = await Promise.all([
    reader.knownUserPermissions(),
    reader.userPermissionLabels(),
    getPslAllowedPermissions(conn).catch((e: unknown) => {
      warnings.push(messages.getMessage('warning.pslUnreadable', [e instanceof Error ? e.message : String(e)]));
      return undefined;
    }),
  ]);
  return { licensedUserPermissions, knownUserPermissions, permissionLabels, warnings };
}

/**
 * The input ready for the converter under the org's rules: user permissions the org doesn't know are taken out and
 * reported, the others spelled as the org spells them; access a permission set file can't hold (connected apps,
 * setup entities the reader couldn't name) is taken out and reported too. Pure.
 */
export function applyOrgRules(
  input: ConversionInput,
  rules?: Pick<OrgRules, 'knownUserPermissions'>,
): { input: ConversionInput; omitted: OmittedEntry[] } {
  const omitted: OmittedEntry[] = [];
  const sections: Record<string, Entry[]> = {};
  for (const [section, entries] of Object.entries(input.sections)) {
    if (!entries) continue;
    if (section === CONNECTED_APP_SECTION) {
      for (const e of entries)
        omitted.push({ section, name: String(e.connectedApp), reason: messages.getMessage('reason.connectedApp') });
      continue;
    }
    if (section === OTHER_SETUP_ENTITY_SECTION) {
      for (const e of entries)
        omitted.push({ section, name: String(e.name), reason: messages.getMessage('reason.unresolvedEntity') });
      continue;
    }
    if (section === 'userPermissions' && rules) {
      const kept: Entry[] = [];
      for (const e of entries) {
        const name = String(e.name ?? '');
        const known = rules.knownUserPermissions.get(name.toLowerCase());
        if (known) kept.push({ ...e, name: known });
        else if (e.enabled === true) {
          const label = builtInLabel(name)?.label;
          omitted.push({
            section,
            name,
            reason: messages.getMessage('reason.unknownPermission'),
            ...(label ? { label } : {}),
          });
        }
      }
      sections[section] = kept;
      continue;
    }
    sections[section] = entries;
  }
  return { input: { ...input, sections }, omitted };
}
