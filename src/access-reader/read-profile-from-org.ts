import type { Connection } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import type { ProfileDoc } from '../profile/read-profile.js';
import { soqlLiteral } from '../org-api/soql.js';
import { PermissionSetReader } from './read-permission-sets.js';
import type { UnresolvedEntity } from './setup-entities.js';
import type { ReadStats } from './query.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'access-reader');

export type ProfileFromOrg = {
  doc: ProfileDoc;
  /** the profile's own permission set */
  permissionSetId: string;
  unresolved: UnresolvedEntity[];
  warnings: string[];
  stats: ReadStats;
};

/**
 * A profile as the org holds it, read from the profile's own permission set records (IsOwnedByProfile) into the
 * same ProfileDoc the file reader produces, so the same converter runs on it.
 *
 * @throws SfError ProfileNotFound
 */
export async function readProfileFromOrg(
  conn: Connection,
  profileName: string,
  reader = new PermissionSetReader(conn),
): Promise<ProfileFromOrg> {
  const read = await reader.read(`IsOwnedByProfile = true AND Profile.Name = ${soqlLiteral(profileName)}`);
  const own = read.sets.find((s) => s.header.kind === 'profile');
  if (!own) throw messages.createError('error.ProfileNotFound', [profileName]);
  return {
    doc: {
      fullName: own.header.profileName ?? profileName,
      userLicense: own.header.userLicense,
      sections: own.sections,
    },
    permissionSetId: own.header.id,
    unresolved: read.unresolved,
    warnings: read.warnings,
    stats: read.stats,
  };
}
