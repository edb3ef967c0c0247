/** The metadata components an org holds (permission sets, profiles, External Client Apps): listMetadata, readMetadata. */
import { ECA_FILES, isEcaType, listEca, readEcaXml } from '../external-client-apps.js';
import { permissionSetBody, readPermissionSet } from '../permsets.js';
import { profileBody, profileFullName } from '../profiles.js';
import type { OrgState, Rec } from '../state.js';
import type { Value } from './soap-xml.js';

/** Where a type's files live in metadata format: permissionsets/X.permissionset, profiles/X.profile. */
export function metadataFile(type: string, fullName: string): string {
  return type === 'PermissionSet' ? `permissionsets/${fullName}.permissionset` : `profiles/${fullName}.profile`;
}

/** A FileProperties entry: created and last modified by the admin, now. */
export function fileProps(
  org: OrgState,
  type: string,
  fullName: string,
  fileName: string,
  id: string,
): Record<string, Value> {
  const admin = org.get(org.adminUserId);
  const name = admin ? [admin.FirstName, admin.LastName].filter(Boolean).join(' ') : 'Admin';
  const date = new Date().toISOString();
  return {
    createdById: org.adminUserId,
    createdByName: name,
    createdDate: date,
    fileName,
    fullName,
    id,
    lastModifiedById: org.adminUserId,
    lastModifiedByName: name,
    lastModifiedDate: date,
    manageableState: 'unmanaged',
    type,
  };
}

/** The org's permission sets (not a profile's own) or profiles, by full name. */
export function componentsOf(org: OrgState, type: string): Array<{ fullName: string; rec: Rec }> {
  if (type === 'PermissionSet')
    return org.filter('PermissionSet', (p) => !p.IsOwnedByProfile).map((rec) => ({ fullName: String(rec.Name), rec }));
  if (type === 'Profile') return org.all('Profile').map((rec) => ({ fullName: profileFullName(rec), rec }));
  return [];
}

/** A component's metadata body (without the root element) at an API version. */
export function componentBody(org: OrgState, type: string, rec: Rec, withFullName: boolean, version: string): string {
  return type === 'PermissionSet'
    ? permissionSetBody(readPermissionSet(org, rec), withFullName, version)
    : profileBody(org, rec, withFullName, version);
}

export function listMetadata(org: OrgState, type: string): Array<Record<string, Value>> {
  if (isEcaType(type))
    return listEca(org, type).map((r) =>
      fileProps(org, type, r.fullName, `${ECA_FILES[type].folder}/${r.fullName}.${ECA_FILES[type].suffix}`, r.id),
    );
  return componentsOf(org, type).map((c) => fileProps(org, type, c.fullName, metadataFile(type, c.fullName), c.rec.Id));
}

export function readMetadata(org: OrgState, type: string, fullName: string, version: string): string {
  if (isEcaType(type)) return readEcaXml(org, type, fullName) ?? '<records xsi:nil="true"/>';
  const c = componentsOf(org, type).find((x) => x.fullName === fullName);
  if (!c) return '<records xsi:nil="true"/>';
  return `<records xsi:type="${type}">${componentBody(org, type, c.rec, true, version)}</records>`;
}
