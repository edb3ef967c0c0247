/** An org's licenses from its seed: the standard user licenses, extra ones, and permission set licenses. */
import type { EmulatorSeed } from './seed.js';
import { LICENSE_NAMES, type OrgState, type Rec } from './state.js';
import { INTEGRATION_PSL_PERMISSIONS } from './user-permissions.js';

/** The Salesforce and Salesforce Integration licenses, which the standard profiles need. */
export type StandardLicenses = { salesforce: Rec; integration: Rec };

export function insertLicenses(org: OrgState, seed: EmulatorSeed): StandardLicenses {
  const lic = seed.licenses ?? {};
  const salesforce = insertUserLicense(org, LICENSE_NAMES.salesforce, 'Salesforce', 'SFDC', lic.salesforce ?? 10);
  const integration = insertUserLicense(
    org,
    LICENSE_NAMES.integration,
    'Salesforce Integration',
    'SFDC_INTEGRATION',
    lic.integration ?? 5,
  );
  insertUserLicense(org, LICENSE_NAMES.platform, 'Salesforce Platform', 'AUL', lic.platform ?? 3);
  for (const ul of seed.userLicenses ?? [])
    insertUserLicense(
      org,
      ul.name,
      ul.masterLabel ?? ul.name,
      ul.name.toUpperCase().replace(/\W+/g, '_'),
      ul.total ?? 0,
    );
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
  return { salesforce, integration };
}

function insertUserLicense(org: OrgState, name: string, label: string, key: string, total: number): Rec {
  return org.insert('UserLicense', {
    Name: name,
    MasterLabel: label,
    LicenseDefinitionKey: key,
    Status: 'Active',
    TotalLicenses: total,
  });
}

/** A permission set license with its MaximumPermissions* (true for the permissions it allows). */
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
