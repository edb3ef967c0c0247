/** Builds an org's initial data from a seed: organization, licenses, profiles, admin, then the seed's extras. */
import {
  applyPermissionSet,
  docFromSeed,
  groupPermissionSet,
  insertPermissionSetGroup,
  validatePermissionSet,
  writeChildren,
} from './permsets.js';
import { applyProfile, profileFullName } from './profiles.js';
import type { EmulatorSeed, PermissionSetGroupSeed } from './seed.js';
import { LICENSE_NAMES, OrgState, PROFILE_NAMES, ServerContext, parseDateTime, type Rec } from './state.js';
import { INTEGRATION_PSL_PERMISSIONS } from './user-permissions.js';
import { insertEventLogFile } from './event-log-files.js';

const ADMIN_OFF = new Set(['ApiUserOnly', 'PasswordNeverExpires']);
const STANDARD_PERMS = [
  'ApiEnabled',
  'RunReports',
  'EditTask',
  'EditEvent',
  'ConvertLeads',
  'ImportLeads',
  'CreateCustomizeReports',
  'ViewPublicReports',
];
const STANDARD_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'Campaign'];

export function createOrg(ctx: ServerContext, seed: EmulatorSeed = {}): OrgState {
  // every org has a My Domain name (its host name); a sandbox's host adds the sandbox name (refresh.ts)
  const org = new OrgState(ctx, { ...seed, myDomain: seed.myDomain ?? `emu${ctx.orgCount + 1}` });
  const n = ctx.orgCount;
  const type = org.orgType;
  org.insert('Organization', {
    Id: org.id,
    Name: seed.name ?? (n === 1 ? 'Emu Org' : `Emu Org ${n}`),
    InstanceName: seed.instanceName ?? 'EMU1',
    IsSandbox: type !== 'production',
    TrialExpirationDate: type === 'scratch' ? Date.now() + 30 * 86_400_000 : null,
    NamespacePrefix: seed.namespacePrefix ?? null,
    OrganizationType: seed.edition ?? 'Developer Edition',
    LanguageLocaleKey: 'en_US',
    DefaultLocaleSidKey: 'en_US',
    TimeZoneSidKey: 'America/Los_Angeles',
  });

  const lic = seed.licenses ?? {};
  const sfLicense = org.insert('UserLicense', {
    Name: LICENSE_NAMES.salesforce,
    MasterLabel: 'Salesforce',
    LicenseDefinitionKey: 'SFDC',
    Status: 'Active',
    TotalLicenses: lic.salesforce ?? 10,
  });
  const intLicense = org.insert('UserLicense', {
    Name: LICENSE_NAMES.integration,
    MasterLabel: 'Salesforce Integration',
    LicenseDefinitionKey: 'SFDC_INTEGRATION',
    Status: 'Active',
    TotalLicenses: lic.integration ?? 5,
  });
  org.insert('UserLicense', {
    Name: LICENSE_NAMES.platform,
    MasterLabel: 'Salesforce Platform',
    LicenseDefinitionKey: 'AUL',
    Status: 'Active',
    TotalLicenses: lic.platform ?? 3,
  });
  for (const ul of seed.userLicenses ?? []) {
    org.insert('UserLicense', {
      Name: ul.name,
      MasterLabel: ul.masterLabel ?? ul.name,
      LicenseDefinitionKey: ul.name.toUpperCase().replace(/\W+/g, '_'),
      Status: 'Active',
      TotalLicenses: ul.total ?? 0,
    });
  }
  insertPsl(
    org,
    LICENSE_NAMES.integrationPsl,
    'Salesforce API Integration',
    lic.integrationPsl ?? lic.integration ?? 5,
    seed.integrationPslPermissions ?? INTEGRATION_PSL_PERMISSIONS,
    true,
  );
  for (const p of seed.permissionSetLicenses ?? [])
    insertPsl(org, p.developerName, p.masterLabel ?? p.developerName, p.total ?? 10, p.maximumPermissions ?? [], false);

  const allPerms = org.schema.userPermissions;
  insertProfile(
    org,
    PROFILE_NAMES.admin,
    sfLicense,
    allPerms.filter((p) => !ADMIN_OFF.has(p)),
    true,
  );
  insertProfile(org, PROFILE_NAMES.standard, sfLicense, STANDARD_PERMS, false);
  insertProfile(org, PROFILE_NAMES.minimum, sfLicense, [], false);
  insertProfile(
    org,
    seed.legacyIntegrationProfile ? PROFILE_NAMES.legacyIntegration : PROFILE_NAMES.integration,
    intLicense,
    ['ApiEnabled', 'ApiUserOnly'],
    false,
  );
  for (const p of seed.profiles ?? []) {
    const doc = org.seedProfileDocs.get(p.name);
    const licenseName = p.userLicense ?? doc?.userLicense ?? LICENSE_NAMES.salesforce;
    const l = org.userLicenseByName(licenseName);
    if (!l) throw new Error(`seed: unknown user license ${licenseName}`);
    let profile = org.find('Profile', (x) => x.Name === p.name || profileFullName(x) === p.name);
    if (profile) {
      org.update(profile, { UserLicenseId: l.Id });
      org.update(
        org.find('PermissionSet', (x) => x.ProfileId === profile!.Id)!,
        { LicenseId: l.Id },
      );
    } else profile = insertProfile(org, p.name, l, p.userPermissions ?? ['ApiEnabled'], false);
    if (doc) applyProfile(org, profile, doc, true);
  }

  for (const r of seed.roles ?? []) {
    const parent = r.parentRole ? roleByName(org, r.parentRole) : undefined;
    org.insert('UserRole', {
      Name: r.name,
      DeveloperName: r.developerName ?? r.name.replace(/\W+/g, '_'),
      ParentRoleId: parent?.Id ?? null,
    });
  }

  const adminUsername = seed.admin?.username ?? (n === 1 ? 'admin@emu.org' : `admin${n}@emu.org`);
  const admin = insertUser(org, {
    Username: adminUsername,
    FirstName: seed.admin?.firstName ?? 'Emu',
    LastName: seed.admin?.lastName ?? 'Admin',
    Email: seed.admin?.email ?? adminUsername,
    Alias: 'admin',
    ProfileId: org.profileByName(PROFILE_NAMES.admin)!.Id,
  });
  org.adminUserId = admin.Id;
  org.adminUsername = adminUsername;
  for (const t of [
    'Organization',
    'UserLicense',
    'PermissionSetLicense',
    'Profile',
    'PermissionSet',
    'ObjectPermissions',
    'UserRole',
    'User',
  ]) {
    for (const r of org.table(t).values()) {
      if ('CreatedById' in r || org.schema.get(t)!.fields.has('createdbyid')) {
        r.CreatedById = admin.Id;
        r.LastModifiedById = admin.Id;
      }
    }
  }

  for (const ps of seed.permissionSets ?? []) {
    const doc = docFromSeed(ps);
    const problems = validatePermissionSet(org, doc);
    if (problems.length) throw new Error(`seed: permission set ${ps.name}: ${problems.join('; ')}`);
    applyPermissionSet(org, doc);
  }

  for (const g of seed.permissionSetGroups ?? []) insertGroup(org, g);

  for (const u of seed.users ?? []) {
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
  for (const a of seed.permissionSetAssignments ?? []) {
    const user = org.userByUsername(a.username);
    if (!user) throw new Error(`seed: unknown user ${a.username}`);
    if (a.permissionSet) assign(org, user, a.permissionSet);
    if (a.permissionSetGroup) assignGroup(org, user, a.permissionSetGroup);
  }

  for (const [objectName, rows] of Object.entries(seed.records ?? {})) org.insertMany(objectName, rows);
  for (const l of seed.loginHistory ?? []) {
    const user = seedUser(org, l.username);
    org.insert('LoginHistory', {
      UserId: user.Id,
      LoginTime: parseDateTime(l.loginTime),
      LoginType: l.loginType ?? 'Remote Access 2.0',
      LoginSubType: l.loginSubType ?? null,
      Application: l.application ?? null,
      ApiType: l.apiType ?? null,
      ApiVersion: l.apiVersion ?? null,
      SourceIp: l.sourceIp ?? '127.0.0.1',
      Status: l.status ?? 'Success',
    });
  }
  for (const f of seed.eventLogFiles ?? []) insertEventLogFile(org, f);
  for (const t of seed.oauthTokens ?? []) {
    const user = seedUser(org, t.username);
    org.insert('OauthToken', {
      AppName: t.appName,
      UserId: user.Id,
      LastUsedDate: t.lastUsedDate ?? null,
      UseCount: t.useCount ?? 0,
      CreatedDate: t.createdDate ?? new Date().toISOString(),
    });
  }
  org.recountLicenses();
  return org;
}

function seedUser(org: OrgState, username: string): Rec {
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
  if (g.muting) {
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

function insertUser(org: OrgState, values: Record<string, unknown>): Rec {
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

function insertPsl(
  org: OrgState,
  developerName: string,
  label: string,
  total: number,
  allowed: readonly string[],
  integration: boolean,
): void {
  const values: Record<string, unknown> = {
    DeveloperName: developerName,
    MasterLabel: label,
    PermissionSetLicenseKey: developerName,
    Language: 'en_US',
    Status: 'Active',
    TotalLicenses: total,
    IsAvailableForIntegrations: integration,
  };
  const allowedSet = new Set(allowed.map((p) => p.toLowerCase()));
  for (const p of org.schema.userPermissions) values[`MaximumPermissions${p}`] = allowedSet.has(p.toLowerCase());
  org.insert('PermissionSetLicense', values);
}

function insertProfile(
  org: OrgState,
  name: string,
  license: Rec,
  perms: readonly string[],
  fullObjectAccess: boolean,
): Rec {
  const values: Record<string, unknown> = { Name: name, UserLicenseId: license.Id, UserType: 'Standard' };
  const on = new Set(perms);
  for (const p of org.schema.userPermissions) values[`Permissions${p}`] = on.has(p);
  // Profile describes a few permissions fewer than PermissionSet (the data: no Permissions*Packaging on Profile);
  // its own permission set carries them all
  const profileFields = org.schema.get('Profile')!.fields;
  const profile = org.insert(
    'Profile',
    Object.fromEntries(Object.entries(values).filter(([k]) => profileFields.has(k.toLowerCase()))),
  );
  // the profile's own permission set carries its permissions, as in Salesforce
  const ps = org.insert('PermissionSet', {
    ...Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith('Permissions'))),
    Name: `X${profile.Id}`,
    Label: name,
    IsOwnedByProfile: true,
    ProfileId: profile.Id,
    LicenseId: license.Id,
    IsCustom: false,
    Type: 'Profile',
  });
  const objects = fullObjectAccess ? STANDARD_OBJECTS : name === PROFILE_NAMES.standard ? STANDARD_OBJECTS : [];
  for (const o of objects) {
    org.insert('ObjectPermissions', {
      ParentId: ps.Id,
      SobjectType: o,
      PermissionsCreate: true,
      PermissionsRead: true,
      PermissionsEdit: true,
      PermissionsDelete: true,
      PermissionsViewAllRecords: fullObjectAccess,
      PermissionsModifyAllRecords: fullObjectAccess,
      PermissionsViewAllFields: fullObjectAccess,
    });
  }
  return profile;
}
