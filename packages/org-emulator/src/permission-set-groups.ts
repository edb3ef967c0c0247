/** Permission set groups as Salesforce stores them, whether seeded or created through the API. */
import type { OrgState, Rec } from './state.js';

/**
 * A permission set group as Salesforce stores it: the PermissionSetGroup and its aggregate permission set (Type
 * Group, PermissionSetGroupId set, not custom, not owned by a profile), which the group's assignments point at.
 * Used by seeding and by API creates, so both kinds of group look the same.
 */
export function insertPermissionSetGroup(
  org: OrgState,
  values: Record<string, unknown>,
): { group: Rec; aggregate: Rec } {
  const group = org.insert('PermissionSetGroup', { Status: 'Updated', ...values });
  const label = String(group.MasterLabel ?? group.DeveloperName);
  const aggregate = org.insert('PermissionSet', {
    Name: `X${group.Id}`,
    Label: label,
    IsOwnedByProfile: false,
    IsCustom: false,
    Type: 'Group',
    PermissionSetGroupId: group.Id,
  });
  return { group, aggregate };
}

/** The aggregate permission set of a group (the one its assignments name in PermissionSetId). */
export function groupPermissionSet(org: OrgState, groupId: string): Rec | undefined {
  return org.find('PermissionSet', (p) => p.PermissionSetGroupId === groupId && p.Type === 'Group');
}
