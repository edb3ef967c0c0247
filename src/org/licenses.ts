import type { Connection } from '@salesforce/core';
import { INTEGRATION_PSL, INTEGRATION_USER_LICENSE } from '../permissions/model.js';
import { soqlLiteral } from './soql.js';

/** Seats of one license: `free` is what a new user may still take (UsedLicenses counts active users). */
export type SeatCount = {
  id: string;
  name: string;
  status?: string;
  total: number;
  used: number;
  free: number;
};

export type IntegrationSeats = {
  /** the Salesforce Integration user license; undefined when the org has none (edition without it) */
  userLicense?: SeatCount;
  /** the Salesforce API Integration permission set license; undefined when the org has none */
  permissionSetLicense?: SeatCount;
};

type LicenseRecord = {
  Id: string;
  Name?: string;
  DeveloperName?: string;
  MasterLabel?: string;
  Status?: string;
  TotalLicenses?: number | null;
  UsedLicenses?: number | null;
};

const toSeats = (record: LicenseRecord | undefined, name: string): SeatCount | undefined => {
  if (!record) return undefined;
  const total = Number(record.TotalLicenses ?? 0);
  const used = Number(record.UsedLicenses ?? 0);
  return { id: record.Id, name, status: record.Status, total, used, free: Math.max(0, total - used) };
};

/** Reads both integration licenses (two queries, sent together). Changes nothing. */
export async function getIntegrationSeats(conn: Connection): Promise<IntegrationSeats> {
  const [userLicenses, psls] = await Promise.all([
    conn.query<LicenseRecord>(
      `SELECT Id, Name, MasterLabel, Status, TotalLicenses, UsedLicenses FROM UserLicense WHERE Name = ${soqlLiteral(
        INTEGRATION_USER_LICENSE
      )}`
    ),
    conn.query<LicenseRecord>(
      `SELECT Id, DeveloperName, MasterLabel, Status, TotalLicenses, UsedLicenses FROM PermissionSetLicense WHERE DeveloperName = ${soqlLiteral(
        INTEGRATION_PSL
      )}`
    ),
  ]);
  return {
    userLicense: toSeats(userLicenses.records[0], INTEGRATION_USER_LICENSE),
    permissionSetLicense: toSeats(psls.records[0], INTEGRATION_PSL),
  };
}
