import type { Connection } from '@salesforce/core';
import { soqlInList, soqlLiteral } from './soql.js';

export type AssignOutcome = 'done' | 'already done';

type SaveError = { statusCode?: string; errorCode?: string; message?: string; fields?: string[] };
type SaveResult = { id?: string; success: boolean; errors?: SaveError[] };

/** A duplicate assignment means an earlier run (or an admin) already did it. */
export function isDuplicateError(error: { name?: string; errorCode?: string; statusCode?: string; message?: string }): boolean {
  const code = error.errorCode ?? error.statusCode ?? error.name ?? '';
  return code === 'DUPLICATE_VALUE' || /^duplicate value found/i.test(error.message ?? '') || /duplicate value found/i.test(code);
}

/**
 * The org refuses an assignment because the user's license doesn't allow a permission in the set
 * (FIELD_INTEGRITY_EXCEPTION "The user license doesn't allow the permission: Author Apex").
 */
export function isLicenseRefusal(error: { name?: string; errorCode?: string; statusCode?: string; message?: string }): boolean {
  const code = error.errorCode ?? error.statusCode ?? error.name ?? '';
  const text = error.message ?? '';
  return /license (doesn't|does not) allow/i.test(text) || (code === 'FIELD_INTEGRITY_EXCEPTION' && /licen[cs]e/i.test(text));
}

const toError = (e: SaveError | undefined, fallback: string): Error => {
  const error = new Error(e?.message ?? fallback);
  error.name = e?.statusCode ?? e?.errorCode ?? 'UNKNOWN_ERROR';
  return error;
};

/** Whether the user already holds the permission set license. */
export async function hasLicenseAssignment(conn: Connection, userId: string, pslId: string): Promise<boolean> {
  const { records } = await conn.query<{ Id: string }>(
    `SELECT Id FROM PermissionSetLicenseAssign WHERE AssigneeId = ${soqlLiteral(userId)} AND PermissionSetLicenseId = ${soqlLiteral(
      pslId
    )}`
  );
  return records.length > 0;
}

/** Creates the PermissionSetLicenseAssign; a duplicate counts as already done. */
export async function assignPermissionSetLicense(conn: Connection, userId: string, pslId: string): Promise<AssignOutcome> {
  try {
    const result = (await conn
      .sobject('PermissionSetLicenseAssign')
      .create({ AssigneeId: userId, PermissionSetLicenseId: pslId })) as SaveResult;
    if (result.success) return 'done';
    const first = result.errors?.[0];
    if (first && isDuplicateError(first)) return 'already done';
    throw toError(first, 'Permission set license assignment failed');
  } catch (e) {
    if (e instanceof Error && isDuplicateError(e as Error & { errorCode?: string })) return 'already done';
    throw e;
  }
}

export type PermissionSetRef = { id: string; name: string; licenseId?: string };

/** Looks up permission sets by API name (case-insensitive keys). */
export async function findPermissionSets(conn: Connection, names: readonly string[]): Promise<Map<string, PermissionSetRef>> {
  const found = new Map<string, PermissionSetRef>();
  if (names.length === 0) return found;
  const { records } = await conn.query<{ Id: string; Name: string; LicenseId?: string | null }>(
    `SELECT Id, Name, LicenseId FROM PermissionSet WHERE Name IN ${soqlInList(names)}`
  );
  for (const r of records) found.set(r.Name.toLowerCase(), { id: r.Id, name: r.Name, licenseId: r.LicenseId ?? undefined });
  return found;
}

/** Names (lower-cased) of the permission sets assigned to the user. */
export async function getAssignedPermissionSetNames(conn: Connection, userId: string): Promise<Set<string>> {
  const { records } = await conn.query<{ PermissionSetId: string; PermissionSet?: { Name?: string } | null }>(
    `SELECT PermissionSetId, PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = ${soqlLiteral(userId)}`
  );
  return new Set(records.map((r) => (r.PermissionSet?.Name ?? '').toLowerCase()).filter((n) => n));
}

export type PermissionSetAssignOutcome = { name: string; outcome: AssignOutcome } | { name: string; error: Error };

/**
 * Assigns each permission set; duplicates count as already done. Several at once go in one
 * sObject Collections call (allOrNone false) so one bad set doesn't block the others.
 */
export async function assignPermissionSets(
  conn: Connection,
  userId: string,
  sets: readonly PermissionSetRef[]
): Promise<PermissionSetAssignOutcome[]> {
  if (sets.length === 0) return [];
  const records = sets.map((s) => ({ AssigneeId: userId, PermissionSetId: s.id }));
  let results: SaveResult[];
  try {
    results =
      records.length === 1
        ? [(await conn.sobject('PermissionSetAssignment').create(records[0])) as SaveResult]
        : ((await conn.sobject('PermissionSetAssignment').create(records, { allOrNone: false })) as SaveResult[]);
  } catch (e) {
    // a single create reports errors by throwing
    if (records.length === 1 && e instanceof Error) {
      if (isDuplicateError(e as Error & { errorCode?: string })) return [{ name: sets[0].name, outcome: 'already done' }];
      return [{ name: sets[0].name, error: e }];
    }
    throw e;
  }
  return sets.map((set, i): PermissionSetAssignOutcome => {
    const result = results[i];
    if (result?.success) return { name: set.name, outcome: 'done' };
    const first = result?.errors?.[0];
    if (first && isDuplicateError(first)) return { name: set.name, outcome: 'already done' };
    return { name: set.name, error: toError(first, 'Permission set assignment failed') };
  });
}
