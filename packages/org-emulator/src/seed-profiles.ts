/**
 * An org's profiles from its seed: the standard ones every org has (System Administrator, Standard User, Minimum
 * Access, the API-only integration profile), then the seed's, each with its own permission set as in Salesforce.
 */
import { applyProfile, profileFullName } from './profiles.js';
import type { StandardLicenses } from './seed-licenses.js';
import type { EmulatorSeed } from './seed.js';
import { LICENSE_NAMES, PROFILE_NAMES, type OrgState, type Rec } from './state.js';

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

export function insertStandardProfiles(org: OrgState, seed: EmulatorSeed, licenses: StandardLicenses): void {
  const all = org.schema.userPermissions;
  insertProfile(
    org,
    PROFILE_NAMES.admin,
    licenses.salesforce,
    all.filter((p) => !ADMIN_OFF.has(p)),
    true,
  );
  insertProfile(org, PROFILE_NAMES.standard, licenses.salesforce, STANDARD_PERMS, false);
  insertProfile(org, PROFILE_NAMES.minimum, licenses.salesforce, [], false);
  insertProfile(
    org,
    seed.legacyIntegrationProfile ? PROFILE_NAMES.legacyIntegration : PROFILE_NAMES.integration,
    licenses.integration,
    ['ApiEnabled', 'ApiUserOnly'],
    false,
  );
}

/** The seed's profiles: new ones, or a standard one moved to another license; metadata applied when given. */
export function insertSeedProfiles(org: OrgState, seed: EmulatorSeed): void {
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
  const objects = fullObjectAccess || name === PROFILE_NAMES.standard ? STANDARD_OBJECTS : [];
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
