import type { Connection } from '@salesforce/core';
import { INTEGRATION_PROFILE, INTEGRATION_USER_LICENSE, LEGACY_INTEGRATION_PROFILE } from '../permissions/model.js';
import { soqlLiteral } from './soql.js';

export type ProfileRef = {
  id: string;
  name: string;
  legacy: boolean;
  /** every profile on the Salesforce Integration license: an existing user on any of them is an integration user */
  integrationProfileIds: string[];
};
export type RoleRef = { id: string; developerName: string; name?: string };

/**
 * The integration profile: any profile on the Salesforce Integration license, preferring the current
 * name over the deprecated one (older orgs only have the latter). Undefined when the org has neither.
 */
export async function findIntegrationProfile(conn: Connection): Promise<ProfileRef | undefined> {
  const { records } = await conn.query<{ Id: string; Name: string }>(
    `SELECT Id, Name FROM Profile WHERE UserLicense.Name = ${soqlLiteral(INTEGRATION_USER_LICENSE)}`,
  );
  return pickIntegrationProfile(records);
}

export function pickIntegrationProfile(records: ReadonlyArray<{ Id: string; Name: string }>): ProfileRef | undefined {
  const byName = (name: string): { Id: string; Name: string } | undefined =>
    records.find((r) => r.Name === name) ?? records.find((r) => r.Name.toLowerCase() === name.toLowerCase());
  const integrationProfileIds = records.map((r) => r.Id);
  const current = byName(INTEGRATION_PROFILE);
  if (current) return { id: current.Id, name: current.Name, legacy: false, integrationProfileIds };
  const legacy = byName(LEGACY_INTEGRATION_PROFILE);
  if (legacy) return { id: legacy.Id, name: legacy.Name, legacy: true, integrationProfileIds };
  // a renamed or localised profile on the license still works: take it, but only if it is the only one
  if (records.length === 1) return { id: records[0].Id, name: records[0].Name, legacy: false, integrationProfileIds };
  return undefined;
}

/** A role by its DeveloperName (the stable name; labels are translated and may repeat). */
export async function findRole(conn: Connection, developerName: string): Promise<RoleRef | undefined> {
  const { records } = await conn.query<{ Id: string; DeveloperName: string; Name?: string }>(
    `SELECT Id, DeveloperName, Name FROM UserRole WHERE DeveloperName = ${soqlLiteral(developerName)}`,
  );
  const role = records[0];
  return role ? { id: role.Id, developerName: role.DeveloperName, name: role.Name } : undefined;
}
