/** The seed's permission sets and permission set groups (with their muting sets), validated as a deploy would be. */
import { insertPermissionSetGroup } from './permission-set-groups.js';
import { applyPermissionSet, validatePermissionSet, writeChildren, type PsDoc } from './permsets.js';
import type { EmulatorSeed, PermissionSetGroupSeed } from './seed.js';
import type { OrgState } from './state.js';

export function insertSeedPermissionSets(org: OrgState, seed: EmulatorSeed): void {
  for (const ps of seed.permissionSets ?? []) {
    const doc = docFromSeed(ps);
    const problems = validatePermissionSet(org, doc);
    if (problems.length) throw new Error(`seed: permission set ${ps.name}: ${problems.join('; ')}`);
    applyPermissionSet(org, doc);
  }
  for (const g of seed.permissionSetGroups ?? []) insertGroup(org, g);
}

/**
 * A permission set group as Salesforce stores it: the PermissionSetGroup, its aggregate permission set (Type Group,
 * PermissionSetGroupId; assignments point at it), one PermissionSetGroupComponent per permission set, and a
 * MutingPermissionSet (its own sObject, not a PermissionSet) as one more component.
 */
function insertGroup(org: OrgState, g: PermissionSetGroupSeed): void {
  const { group } = insertPermissionSetGroup(org, { DeveloperName: g.name, MasterLabel: g.label ?? g.name });
  for (const name of g.permissionSets) {
    const ps = org.permissionSetByName(name);
    if (!ps) throw new Error(`seed: permission set group ${g.name}: unknown permission set ${name}`);
    org.insert('PermissionSetGroupComponent', { PermissionSetGroupId: group.Id, PermissionSetId: ps.Id });
  }
  if (!g.muting) return;
  const doc = docFromSeed(g.muting);
  // a muting set names what it removes: "edit without read" is valid there, only unknown names are not
  const problems = validatePermissionSet(org, doc).filter((p) => !p.includes('depends on'));
  if (problems.length) throw new Error(`seed: muting permission set ${g.muting.name}: ${problems.join('; ')}`);
  const values: Record<string, unknown> = { DeveloperName: doc.fullName, MasterLabel: doc.label, Language: 'en_US' };
  const permNames = new Map(org.schema.userPermissions.map((p) => [p.toLowerCase(), p]));
  for (const up of doc.sections.userPermissions ?? []) {
    const name = permNames.get((up.name ?? '').toLowerCase());
    if (name) values[`Permissions${name}`] = true;
  }
  const rec = org.insert('MutingPermissionSet', values);
  writeChildren(org, rec, doc);
  org.insert('PermissionSetGroupComponent', { PermissionSetGroupId: group.Id, PermissionSetId: rec.Id });
}

/** A seed's JSON permission set as a document. */
function docFromSeed(s: {
  name: string;
  label?: string;
  description?: string;
  license?: string;
  userPermissions?: string[];
  objectPermissions?: Array<Record<string, unknown>>;
  fieldPermissions?: Array<Record<string, unknown>>;
  sections?: Record<string, Array<Record<string, unknown>>>;
}): PsDoc {
  const str = (e: Record<string, unknown>): Record<string, string> =>
    Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v)]));
  const sections: PsDoc['sections'] = {};
  if (s.userPermissions?.length)
    sections.userPermissions = s.userPermissions.map((name) => ({ enabled: 'true', name }));
  if (s.objectPermissions?.length) sections.objectPermissions = s.objectPermissions.map(str);
  if (s.fieldPermissions?.length) sections.fieldPermissions = s.fieldPermissions.map(str);
  for (const [section, entries] of Object.entries(s.sections ?? {}))
    sections[section] = [...(sections[section] ?? []), ...entries.map(str)];
  return { fullName: s.name, label: s.label ?? s.name, description: s.description, license: s.license, sections };
}
