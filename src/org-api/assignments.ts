import type { Connection } from '@salesforce/core';
import { soqlInList, soqlLiteral } from './soql.js';

export type AssignOutcome = 'done' | 'already done';

type SaveError = { statusCode?: string; errorCode?: string; message?: string; fields?: string[] };
type SaveResult = { id?: string; success: boolean; errors?: SaveError[] };

/**
 * A duplicate assignment means an earlier run (or an admin) already did it. Known by its code or by the texts
 * Salesforce gives ("duplicate value found…", "Duplicate PermissionSetAssignment…": docs/salesforce-behaviour.md).
 */
export function isDuplicateError(error: {
  name?: string;
  errorCode?: string;
  statusCode?: string;
  message?: string;
}): boolean {
  const code = error.errorCode ?? error.statusCode ?? error.name ?? '';
  return (
    code === 'DUPLICATE_VALUE' ||
    /^duplicate (value found|PermissionSetAssignment\b)/i.test(error.message ?? '') ||
    /duplicate value found/i.test(code)
  );
}

/**
 * The org refuses an assignment because the user's license doesn't allow a permission in the set
 * (FIELD_INTEGRITY_EXCEPTION "The user license doesn't allow the permission: Author Apex").
 */
export function isLicenseRefusal(error: {
  name?: string;
  errorCode?: string;
  statusCode?: string;
  message?: string;
}): boolean {
  const code = error.errorCode ?? error.statusCode ?? error.name ?? '';
  const text = error.message ?? '';
  return (
    /license (doesn't|does not) allow/i.test(text) || (code === 'FIELD_INTEGRITY_EXCEPTION' && /licen[cs]e/i.test(text))
  );
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
      pslId,
    )}`,
  );
  return records.length > 0;
}

/** Creates the PermissionSetLicenseAssign; a duplicate counts as already done. */
export async function assignPermissionSetLicense(
  conn: Connection,
  userId: string,
  pslId: string,
): Promise<AssignOutcome> {
  try {
    const result = (await conn
      .sobject('PermissionSetLicenseAssign')
      .create({ AssigneeId: userId, PermissionSetLicenseId: pslId })) as SaveResult;
    if (result.success) return 'done';
    const first = result.errors?.[0];
    if (first && isDuplicateError(first)) return 'already done';
    throw toError(first, 'Permission set license assignment failed');
  } catch (e) {
    if (e instanceof Error && isDuplicateError(e)) return 'already done';
    throw e;
  }
}

export type PermissionSetRef = { id: string; name: string; licenseId?: string };

/**
 * An API name split as the org stores it: PermissionSet.Name holds no namespace prefix (`ns__Name` is Name = 'Name',
 * NamespacePrefix = 'ns'), as @salesforce/core's PermissionSetAssignment parses it. Names can't hold `__` otherwise.
 */
export function splitNamespace(apiName: string): { ns?: string; name: string } {
  const at = apiName.indexOf('__');
  return at > 0 ? { ns: apiName.slice(0, at), name: apiName.slice(at + 2) } : { name: apiName };
}

const qualifiedName = (ns: string | null | undefined, name: string): string => (ns ? `${ns}__${name}` : name);

/**
 * Looks up permission sets by API name (case-insensitive keys, as given), managed ones by `ns__Name`. A name without a
 * prefix means the set without a namespace, else the only set of that name (an org with its own namespace).
 */
export async function findPermissionSets(
  conn: Connection,
  names: readonly string[],
): Promise<Map<string, PermissionSetRef>> {
  const found = new Map<string, PermissionSetRef>();
  if (names.length === 0) return found;
  const { records } = await conn.query<{
    Id: string;
    Name: string;
    NamespacePrefix?: string | null;
    LicenseId?: string | null;
  }>(
    `SELECT Id, Name, NamespacePrefix, LicenseId FROM PermissionSet WHERE Name IN ${soqlInList(names.map((n) => splitNamespace(n).name))}`,
  );
  for (const requested of names) {
    const { ns, name } = splitNamespace(requested);
    const sameName = records.filter((r) => r.Name.toLowerCase() === name.toLowerCase());
    const hit = ns
      ? sameName.find((r) => (r.NamespacePrefix ?? '').toLowerCase() === ns.toLowerCase())
      : (sameName.find((r) => !r.NamespacePrefix) ?? (sameName.length === 1 ? sameName[0] : undefined));
    if (hit) {
      found.set(requested.toLowerCase(), {
        id: hit.Id,
        name: qualifiedName(hit.NamespacePrefix, hit.Name),
        licenseId: hit.LicenseId ?? undefined,
      });
    }
  }
  return found;
}

/**
 * The permission set license Ids a user holds, found by username (so the read needs no earlier one for the user's Id:
 * it goes in the same batch as the user lookup). Empty when no such user.
 */
export async function getLicenseIdsOf(conn: Connection, username: string): Promise<Set<string>> {
  const { records } = await conn.query<{ PermissionSetLicenseId: string }>(
    `SELECT PermissionSetLicenseId FROM PermissionSetLicenseAssign WHERE Assignee.Username = ${soqlLiteral(username)}`,
  );
  return new Set(records.map((r) => r.PermissionSetLicenseId));
}

/** API names (lower-cased, `ns__Name` for managed sets) of the permission sets assigned to the user. */
export async function getAssignedPermissionSetNames(conn: Connection, userId: string): Promise<Set<string>> {
  return assignedNames(conn, `AssigneeId = ${soqlLiteral(userId)}`);
}

/** As getAssignedPermissionSetNames, by username (see getLicenseIdsOf). */
export async function getAssignedPermissionSetNamesOf(conn: Connection, username: string): Promise<Set<string>> {
  return assignedNames(conn, `Assignee.Username = ${soqlLiteral(username)}`);
}

async function assignedNames(conn: Connection, where: string): Promise<Set<string>> {
  const { records } = await conn.query<{
    PermissionSetId: string;
    PermissionSet?: { Name?: string; NamespacePrefix?: string | null } | null;
  }>(
    `SELECT PermissionSetId, PermissionSet.Name, PermissionSet.NamespacePrefix FROM PermissionSetAssignment WHERE ${where}`,
  );
  return new Set(
    records
      .filter((r) => r.PermissionSet?.Name)
      .map((r) => qualifiedName(r.PermissionSet?.NamespacePrefix, r.PermissionSet!.Name!).toLowerCase()),
  );
}

export type PermissionSetAssignOutcome = { name: string; outcome: AssignOutcome } | { name: string; error: Error };

/**
 * Assigns each permission set; duplicates count as already done. Several at once go in one
 * sObject Collections call (allOrNone false) so one bad set doesn't block the others.
 */
export async function assignPermissionSets(
  conn: Connection,
  userId: string,
  sets: readonly PermissionSetRef[],
): Promise<PermissionSetAssignOutcome[]> {
  if (sets.length === 0) return [];
  const records = sets.map((s) => ({ AssigneeId: userId, PermissionSetId: s.id }));
  let results: SaveResult[];
  try {
    results =
      records.length === 1
        ? [await conn.sobject('PermissionSetAssignment').create(records[0])]
        : await conn.sobject('PermissionSetAssignment').create(records, { allOrNone: false });
  } catch (e) {
    // a single create reports errors by throwing
    if (records.length === 1 && e instanceof Error) {
      if (isDuplicateError(e)) return [{ name: sets[0].name, outcome: 'already done' }];
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
