import type { Connection } from '@salesforce/core';
import { INTEGRATION_PSL, INTEGRATION_USER_LICENSE } from '../permissions/model.js';
import { soqlLiteral } from './soql.js';

/** Seats of one license: `free` is what a new user may still take (UsedLicenses counts active users). */
export type SeatCount = {
  name: string;
  total: number;
  used: number;
  free: number;
  status?: string;
};

/** Seats with the license's Id, for the writes that assign it. */
export type IdentifiedSeatCount = { id: string } & SeatCount;

export type IntegrationSeats = {
  /** the Salesforce Integration user license; undefined when the org has none (edition without it) */
  userLicense?: IdentifiedSeatCount;
  /** the Salesforce API Integration permission set license; undefined when the org has none */
  permissionSetLicense?: IdentifiedSeatCount;
};

type LicenseRecord = {
  Id: string;
  Status?: unknown;
  TotalLicenses?: unknown;
  UsedLicenses?: unknown;
};

/** The two seat queries every command sends (create, audit, licenses, check): one each, changing nothing. */
export const SEAT_QUERIES = {
  userLicense: `SELECT Id, Name, MasterLabel, Status, TotalLicenses, UsedLicenses FROM UserLicense WHERE Name = ${soqlLiteral(INTEGRATION_USER_LICENSE)}`,
  permissionSetLicense: `SELECT Id, DeveloperName, MasterLabel, Status, TotalLicenses, UsedLicenses FROM PermissionSetLicense WHERE DeveloperName = ${soqlLiteral(INTEGRATION_PSL)}`,
} as const;

const count = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0)) || 0;

/** A license record as seats; undefined when the org has no such license. */
export function seatCount(record: Omit<LicenseRecord, 'Id'> | undefined, name: string): SeatCount | undefined {
  if (!record) return undefined;
  const total = count(record.TotalLicenses);
  const used = count(record.UsedLicenses);
  const status = typeof record.Status === 'string' && record.Status !== '' ? record.Status : undefined;
  return { name, total, used, free: Math.max(0, total - used), status };
}

const identified = (record: LicenseRecord | undefined, name: string): IdentifiedSeatCount | undefined =>
  record ? { id: record.Id, ...seatCount(record, name)! } : undefined;

/** Reads both integration licenses (two queries, sent together). Changes nothing. */
export async function getIntegrationSeats(conn: Connection): Promise<IntegrationSeats> {
  const [userLicenses, psls] = await Promise.all([
    conn.query<LicenseRecord>(SEAT_QUERIES.userLicense),
    conn.query<LicenseRecord>(SEAT_QUERIES.permissionSetLicense),
  ]);
  return {
    userLicense: identified(userLicenses.records[0], INTEGRATION_USER_LICENSE),
    permissionSetLicense: identified(psls.records[0], INTEGRATION_PSL),
  };
}

const MAX_PREFIX = 'MaximumPermissions';
// ~40 characters a field: keeps each query URL well under the REST API's 16 KB limit
const FIELDS_PER_QUERY = 300;

/**
 * Which user permissions the Salesforce API Integration PSL can carry, as the org says
 * (PermissionSetLicense.MaximumPermissions<Name> = true): among `wanted` when given (one describe and one
 * small query), else all of them. Undefined when the org has no such fields.
 */
export async function getPslAllowedPermissions(
  conn: Connection,
  wanted?: readonly string[],
): Promise<Set<string> | undefined> {
  if (wanted?.length) {
    // the wanted fields asked for straight away (no describe first: one round trip); a field the org lacks fails the
    // query (INVALID_FIELD), and the describe then says which exist
    const fields = wanted.map((w) => `${MAX_PREFIX}${w}`);
    try {
      const { records } = await conn.query<Record<string, unknown>>(
        `SELECT Id, ${fields.join(', ')} FROM PermissionSetLicense WHERE DeveloperName = ${soqlLiteral(INTEGRATION_PSL)}`,
      );
      const record = records[0];
      if (!record) return undefined;
      const byLower = new Map(Object.keys(record).map((k) => [k.toLowerCase(), k]));
      return new Set(
        fields
          .filter((f) => record[byLower.get(f.toLowerCase()) ?? f] === true)
          .map((f) => byLower.get(f.toLowerCase())!.slice(MAX_PREFIX.length)),
      );
    } catch (e) {
      if (
        (e as { errorCode?: string; name?: string }).errorCode !== 'INVALID_FIELD' &&
        (e as { name?: string }).name !== 'INVALID_FIELD'
      )
        throw e;
    }
  }
  const describe = (await conn.describe('PermissionSetLicense')) as unknown as { fields: Array<{ name: string }> };
  const all = describe.fields.map((f) => f.name).filter((n) => n.startsWith(MAX_PREFIX));
  if (all.length === 0) return undefined;
  const wantedFields = wanted ? new Set(wanted.map((w) => `${MAX_PREFIX}${w}`.toLowerCase())) : undefined;
  const fields = wantedFields ? all.filter((f) => wantedFields.has(f.toLowerCase())) : all;
  const allowed = new Set<string>();
  for (let i = 0; i < fields.length; i += FIELDS_PER_QUERY) {
    const chunk = fields.slice(i, i + FIELDS_PER_QUERY);
    // one query in the usual case; sequential chunks only for whole profiles
    const { records } = await conn.query<Record<string, unknown>>(
      `SELECT Id, ${chunk.join(', ')} FROM PermissionSetLicense WHERE DeveloperName = ${soqlLiteral(INTEGRATION_PSL)}`,
    );
    const record = records[0];
    if (!record) return undefined;
    for (const f of chunk) if (record[f] === true) allowed.add(f.slice(MAX_PREFIX.length));
  }
  return allowed;
}
