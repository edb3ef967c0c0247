/**
 * Builds an org's initial data from a seed: organization, licenses, profiles, roles, admin, then the seed's
 * permission sets, users and assignments, records and activity (login history, event log files, OAuth tokens).
 */
import { insertEventLogFile } from './event-log-files.js';
import { parseDateTime } from './record-values.js';
import { insertLicenses } from './seed-licenses.js';
import { insertSeedPermissionSets } from './seed-permission-sets.js';
import { insertSeedProfiles, insertStandardProfiles } from './seed-profiles.js';
import { insertRoles, insertSeedUsers, insertUser, seedUser } from './seed-users.js';
import type { EmulatorSeed } from './seed.js';
import { OrgState, PROFILE_NAMES, type ServerContext } from './state.js';

/** The setup rows inserted before the admin exists: the admin is their creator. */
const CREATED_BEFORE_ADMIN = [
  'Organization',
  'UserLicense',
  'PermissionSetLicense',
  'Profile',
  'PermissionSet',
  'ObjectPermissions',
  'UserRole',
  'User',
];

export function createOrg(ctx: ServerContext, seed: EmulatorSeed = {}): OrgState {
  // every org has a My Domain name (its host name); a sandbox's host adds the sandbox name (refresh.ts)
  const org = new OrgState(ctx, { ...seed, myDomain: seed.myDomain ?? `emu${ctx.orgCount + 1}` });
  insertOrganization(org, seed);
  insertStandardProfiles(org, seed, insertLicenses(org, seed));
  insertSeedProfiles(org, seed);
  insertRoles(org, seed);
  insertAdmin(org, seed);
  insertSeedPermissionSets(org, seed);
  insertSeedUsers(org, seed);
  insertActivity(org, seed);
  org.recountLicenses();
  return org;
}

function insertOrganization(org: OrgState, seed: EmulatorSeed): void {
  const n = org.ctx.orgCount;
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
}

/** The System Administrator the org's token belongs to; it becomes the creator of what exists so far. */
function insertAdmin(org: OrgState, seed: EmulatorSeed): void {
  const n = org.ctx.orgCount;
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
  for (const t of CREATED_BEFORE_ADMIN) {
    for (const r of org.table(t).values()) {
      if ('CreatedById' in r || org.schema.get(t)!.fields.has('createdbyid')) {
        r.CreatedById = admin.Id;
        r.LastModifiedById = admin.Id;
      }
    }
  }
}

/** The seed's plain records, login history, event log files and OAuth tokens. */
function insertActivity(org: OrgState, seed: EmulatorSeed): void {
  for (const [objectName, rows] of Object.entries(seed.records ?? {})) org.insertMany(objectName, rows);
  for (const l of seed.loginHistory ?? []) {
    org.insert('LoginHistory', {
      UserId: seedUser(org, l.username).Id,
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
    org.insert('OauthToken', {
      AppName: t.appName,
      UserId: seedUser(org, t.username).Id,
      LastUsedDate: t.lastUsedDate ?? null,
      UseCount: t.useCount ?? 0,
      CreatedDate: t.createdDate ?? new Date().toISOString(),
    });
  }
}
