/**
 * Creating license and permission set assignments as Salesforce does: PSL seats and duplicates, group assignments
 * naming the group's aggregate set, and whether the user's licenses can carry a permission set at all.
 */
import { ApiError, MESSAGES } from './errors.js';
import { groupPermissionSet } from './permission-set-groups.js';
import { LICENSE_NAMES, type OrgState, type Rec } from './state.js';

const LABELS: Record<string, string> = {
  ApiEnabled: 'API Enabled',
  ApiUserOnly: 'API Only User',
  ModifyAllData: 'Modify All Data',
  ViewAllData: 'View All Data',
  ViewSetup: 'View Setup and Configuration',
  ManageUsers: 'Manage Users',
  CustomizeApplication: 'Customize Application',
  AuthorApex: 'Author Apex',
};

export function permissionLabel(name: string): string {
  return LABELS[name] ?? name.replace(/([a-z])([A-Z])/g, '$1 $2');
}

const duplicate = (): ApiError => new ApiError('DUPLICATE_VALUE', MESSAGES.duplicateValue, []);

/** PermissionSetLicenseAssign: once per user and license, within the license's seats. */
export function createPsla(org: OrgState, values: Record<string, unknown>): Rec {
  const psl = org.get(values.PermissionSetLicenseId as string)!;
  if (
    org.find(
      'PermissionSetLicenseAssign',
      (a) => a.AssigneeId === values.AssigneeId && a.PermissionSetLicenseId === psl.Id,
    )
  )
    throw duplicate();
  org.recountLicenses();
  if (Number(psl.UsedLicenses) >= Number(psl.TotalLicenses))
    throw new ApiError('LICENSE_LIMIT_EXCEEDED', MESSAGES.licenseLimitExceeded, []);
  const rec = org.insert('PermissionSetLicenseAssign', values);
  org.recountLicenses();
  return rec;
}

/** PermissionSetAssignment of a permission set or a group (no license checks on group assignments). */
export function createPsa(org: OrgState, values: Record<string, unknown>): Rec {
  if (!values.PermissionSetId && !values.PermissionSetGroupId)
    throw new ApiError('REQUIRED_FIELD_MISSING', MESSAGES.requiredMissing(['PermissionSetId']), ['PermissionSetId']);
  if (values.PermissionSetGroupId) return createGroupAssignment(org, values);
  const user = org.get(values.AssigneeId as string)!;
  const ps = org.get(values.PermissionSetId as string)!;
  if (ps.IsOwnedByProfile) {
    throw new ApiError(
      'INVALID_CROSS_REFERENCE_KEY',
      "You can't assign or unassign this permission set because it's associated with a profile.",
      ['PermissionSetId'],
    );
  }
  if (org.find('PermissionSetAssignment', (a) => a.AssigneeId === user.Id && a.PermissionSetId === ps.Id))
    throw duplicate();
  const problem = licenseProblem(org, user, ps);
  if (problem) throw new ApiError('FIELD_INTEGRITY_EXCEPTION', problem, []);
  return org.insert('PermissionSetAssignment', { ...values, IsActive: true });
}

function createGroupAssignment(org: OrgState, values: Record<string, unknown>): Rec {
  if (
    org.find(
      'PermissionSetAssignment',
      (a) => a.AssigneeId === values.AssigneeId && a.PermissionSetGroupId === values.PermissionSetGroupId,
    )
  )
    throw duplicate();
  // a group assignment names the group's aggregate permission set in PermissionSetId, as Salesforce fills it in
  const aggregate = groupPermissionSet(org, values.PermissionSetGroupId as string);
  return org.insert('PermissionSetAssignment', { ...values, PermissionSetId: aggregate?.Id ?? null, IsActive: true });
}

/** Why the user's licenses cannot carry the permission set, or undefined. */
function licenseProblem(org: OrgState, user: Rec, ps: Rec): string | undefined {
  const userLicense = org.userLicenseOfUser(user);
  const held = org
    .filter('PermissionSetLicenseAssign', (a) => a.AssigneeId === user.Id)
    .map((a) => org.get(a.PermissionSetLicenseId as string)!);
  const enabled = org.schema.userPermissions.filter((p) => ps[`Permissions${p}`] === true);
  const objectGrant = org.find(
    'ObjectPermissions',
    (o) =>
      o.ParentId === ps.Id &&
      (o.PermissionsRead === true || o.PermissionsCreate === true || o.PermissionsEdit === true),
  );
  const firstGrant = (): string =>
    enabled.length
      ? permissionLabel(enabled[0])
      : objectGrant
        ? `Read ${String(objectGrant.SobjectType)}`
        : String(ps.Label ?? ps.Name);
  const license = ps.LicenseId ? org.get(ps.LicenseId as string) : undefined;
  if (license && org.objectOf(license.Id)!.name === 'UserLicense') {
    if (!userLicense || userLicense.Id !== license.Id) return MESSAGES.userLicenseDisallows(firstGrant());
    return undefined;
  }
  if (license) {
    // a PSL-licensed set needs that PSL assigned first, and only carries what the PSL allows
    if (!held.some((h) => h.Id === license.Id)) return MESSAGES.userLicenseDisallows(firstGrant());
    const bad = enabled.find((p) => license[`MaximumPermissions${p}`] !== true);
    return bad ? MESSAGES.userLicenseDisallows(permissionLabel(bad)) : undefined;
  }
  if (userLicense?.Name === LICENSE_NAMES.integration) {
    // an integration user gets object access and most permissions only through a permission set license
    const allowedByPsl = (p: string): boolean => held.some((h) => h[`MaximumPermissions${p}`] === true);
    const bad = enabled.find((p) => p !== 'ApiEnabled' && p !== 'ApiUserOnly' && !allowedByPsl(p));
    if (bad) return MESSAGES.userLicenseDisallows(permissionLabel(bad));
    if (objectGrant && !held.length) return MESSAGES.userLicenseDisallows(`Read ${String(objectGrant.SobjectType)}`);
  }
  return undefined;
}
