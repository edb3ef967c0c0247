/** The seed's roles, users (with their licenses and assignments) and assignments, and the rows every user has. */
import { groupPermissionSet } from './permission-set-groups.js';
import type { EmulatorSeed, UserSeed } from './seed.js';
import { PROFILE_NAMES, type OrgState, type Rec } from './state.js';

export function insertRoles(org: OrgState, seed: EmulatorSeed): void {
  for (const r of seed.roles ?? []) {
    const parent = r.parentRole ? roleByName(org, r.parentRole) : undefined;
    org.insert('UserRole', {
      Name: r.name,
      DeveloperName: r.developerName ?? r.name.replace(/\W+/g, '_'),
      ParentRoleId: parent?.Id ?? null,
    });
  }
}

/** The seed's users, then its permissionSetAssignments. */
export function insertSeedUsers(org: OrgState, seed: EmulatorSeed): void {
  for (const u of seed.users ?? []) insertSeedUser(org, u);
  for (const a of seed.permissionSetAssignments ?? []) {
    const user = seedUser(org, a.username);
    if (a.permissionSet) assign(org, user, a.permissionSet);
    if (a.permissionSetGroup) assignGroup(org, user, a.permissionSetGroup);
  }
}

function insertSeedUser(org: OrgState, u: UserSeed): void {
  const profile = org.profileByName(u.profile ?? PROFILE_NAMES.standard);
  if (!profile) throw new Error(`seed: unknown profile ${u.profile}`);
  const role = u.role ? roleByName(org, u.role) : undefined;
  const user = insertUser(org, {
    Username: u.username,
    FirstName: u.firstName ?? null,
    LastName: u.lastName ?? u.username.split('@')[0],
    Email: u.email ?? u.username,
    Alias: u.alias ?? u.username.slice(0, 8),
    ProfileId: profile.Id,
    UserRoleId: role?.Id ?? null,
    IsActive: u.isActive ?? true,
    LastLoginDate: u.lastLoginDate ?? null,
  });
  for (const psl of u.permissionSetLicenses ?? []) {
    const l = org.pslByName(psl);
    if (!l) throw new Error(`seed: unknown permission set license ${psl}`);
    org.insert('PermissionSetLicenseAssign', { AssigneeId: user.Id, PermissionSetLicenseId: l.Id });
  }
  for (const ps of u.permissionSets ?? []) assign(org, user, ps);
  for (const g of u.permissionSetGroups ?? []) assignGroup(org, user, g);
}

/** A user with Salesforce's defaults, its username registered, assigned its profile's permission set. */
export function insertUser(org: OrgState, values: Record<string, unknown>): Rec {
  if (org.usernameTaken(String(values.Username)))
    throw new Error(`seed: duplicate username ${String(values.Username)}`);
  const user = org.insert('User', {
    IsActive: true,
    TimeZoneSidKey: 'America/Los_Angeles',
    LocaleSidKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    UserType: 'Standard',
    CommunityNickname: String(values.Username).split('@')[0],
    ...values,
  });
  org.registerUsername(user);
  // every user holds the profile's permission set
  const profilePs = org.find('PermissionSet', (p) => p.ProfileId === user.ProfileId);
  if (profilePs)
    org.insert('PermissionSetAssignment', { AssigneeId: user.Id, PermissionSetId: profilePs.Id, IsActive: true });
  return user;
}

export function seedUser(org: OrgState, username: string): Rec {
  const u = org.userByUsername(username);
  if (!u) throw new Error(`seed: unknown user ${username}`);
  return u;
}

function roleByName(org: OrgState, name: string): Rec {
  const r = org.find('UserRole', (x) => x.DeveloperName === name || x.Name === name);
  if (!r) throw new Error(`seed: unknown role ${name}`);
  return r;
}

function assign(org: OrgState, user: Rec, psName: string): void {
  const ps = org.permissionSetByName(psName);
  if (!ps) throw new Error(`seed: unknown permission set ${psName}`);
  org.insert('PermissionSetAssignment', { AssigneeId: user.Id, PermissionSetId: ps.Id, IsActive: true });
}

function assignGroup(org: OrgState, user: Rec, name: string): void {
  const group = org.find('PermissionSetGroup', (x) => String(x.DeveloperName).toLowerCase() === name.toLowerCase());
  if (!group) throw new Error(`seed: unknown permission set group ${name}`);
  const aggregate = groupPermissionSet(org, group.Id);
  org.insert('PermissionSetAssignment', {
    AssigneeId: user.Id,
    PermissionSetId: aggregate?.Id ?? null,
    PermissionSetGroupId: group.Id,
    IsActive: true,
  });
}
