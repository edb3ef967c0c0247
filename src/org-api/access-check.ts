import type { Connection } from '@salesforce/core';

export type AccessTargets = {
  /** object API names, e.g. Account, Invoice__c */
  objects: readonly string[];
  /** field names as Object.Field */
  fields: readonly string[];
  /** user permission names without the Permissions prefix, e.g. ViewSetup */
  userPermissions: readonly string[];
};

export type MissingTargets = {
  objects: string[];
  fields: string[];
  userPermissions: string[];
  /** the org's spelling of each name found, keyed by the lower-cased request name */
  canonical: Map<string, string>;
  /** requested fields field-level security doesn't apply to (required and system fields), as the org spells them */
  notPermissionable: string[];
  /** requested fields that can't be edited (formula or otherwise read-only), as the org spells them */
  readOnly: string[];
  /** the describes made, keyed by lower-cased object name, so later checks ask no object twice */
  describes: DescribeCache;
};

type DescribedField = { name: string; permissionable?: boolean; calculated?: boolean; autoNumber?: boolean };
type Describe = { name: string; fields: DescribedField[] };
export type DescribeCache = Map<string, Promise<Describe | undefined>>;

// absent in a describe (older API versions): assume the usual, so nothing is refused on a guess
const isPermissionable = (f: DescribedField): boolean => f.permissionable !== false;
// Formula, roll-up and auto-number fields are read-only for everyone. `updateable` is not used: it also reflects the
// running admin's own field-level security, which says nothing about what a permission set may grant.
const isReadOnly = (f: DescribedField): boolean => f.calculated === true || f.autoNumber === true;

const isNotFound = (e: unknown): boolean => {
  const err = e as { name?: string; errorCode?: string; statusCode?: number; message?: string };
  return (
    err?.name === 'NOT_FOUND' ||
    err?.errorCode === 'NOT_FOUND' ||
    err?.name === 'INVALID_TYPE' ||
    err?.errorCode === 'INVALID_TYPE' ||
    err?.statusCode === 404 ||
    /ERROR_HTTP_404|requested resource does not exist/i.test(err?.message ?? '')
  );
};

async function describeOrUndefined(conn: Connection, name: string): Promise<Describe | undefined> {
  try {
    return await conn.describe(name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * Which requested objects, fields and user permissions the org doesn't have. One describe per
 * distinct object (fields included) and one PermissionSet describe for user permissions, whose
 * fields are named Permissions<Name>. Changes nothing.
 */
export async function findMissingTargets(conn: Connection, targets: AccessTargets): Promise<MissingTargets> {
  const objectNames = [
    ...new Map(
      [...targets.objects, ...targets.fields.map((f) => f.split('.')[0])].map((o) => [o.toLowerCase(), o]),
    ).values(),
  ];
  const cache: DescribeCache = new Map(
    objectNames.map((name) => [name.toLowerCase(), describeOrUndefined(conn, name)]),
  );
  // asked with the objects' describes, so a batching connection sends them together
  const permissionSetDescribe =
    targets.userPermissions.length > 0 ? (conn.describe('PermissionSet') as unknown as Promise<Describe>) : undefined;
  permissionSetDescribe?.catch(() => undefined); // awaited below; no unhandled rejection if a describe above throws first
  const describes = await Promise.all(cache.values());
  const byObject = new Map(objectNames.map((name, i) => [name.toLowerCase(), describes[i]]));

  const missing: MissingTargets = {
    objects: [],
    fields: [],
    userPermissions: [],
    canonical: new Map(),
    notPermissionable: [],
    readOnly: [],
    describes: cache,
  };
  for (const name of objectNames) {
    const describe = byObject.get(name.toLowerCase());
    if (describe) missing.canonical.set(name.toLowerCase(), describe.name);
    else missing.objects.push(name);
  }
  for (const field of targets.fields) {
    const [object, fieldName] = field.split('.');
    const describe = byObject.get(object.toLowerCase());
    // an unknown object is reported once, not again for each of its fields
    if (!describe) continue;
    const found = describe.fields.find((f) => f.name.toLowerCase() === (fieldName ?? '').toLowerCase());
    if (!found) {
      missing.fields.push(field);
      continue;
    }
    const canonical = `${describe.name}.${found.name}`;
    missing.canonical.set(field.toLowerCase(), canonical);
    if (!isPermissionable(found)) missing.notPermissionable.push(canonical);
    else if (isReadOnly(found)) missing.readOnly.push(canonical);
  }
  if (permissionSetDescribe) {
    const ps = await permissionSetDescribe;
    const names = new Map(ps.fields.map((f) => [f.name.toLowerCase(), f.name]));
    for (const perm of targets.userPermissions) {
      const found = names.get(`permissions${perm.toLowerCase()}`);
      if (found) missing.canonical.set(perm.toLowerCase(), found.slice('Permissions'.length));
      else missing.userPermissions.push(perm);
    }
  }
  return missing;
}

export type FieldSecurity = {
  /** fields field-level security doesn't apply to (required and system fields), spelled as given */
  notPermissionable: string[];
  /** permissionable fields that can't be edited (formula or otherwise read-only), spelled as given */
  readOnly: string[];
};

/**
 * Which of these fields (Object.Field, e.g. from a profile file) permission sets can't name, or can't make
 * editable. Objects already in `describes` aren't asked again; the others are described a few at a time (a
 * profile may name hundreds). Unknown objects and fields are left to the deploy, as before.
 */
export async function findFieldSecurity(
  conn: Connection,
  fields: readonly string[],
  describes: DescribeCache = new Map(),
  concurrency = 8,
): Promise<FieldSecurity> {
  const todo = [...new Map(fields.map((f) => f.split('.')[0]).map((o) => [o.toLowerCase(), o])).values()].filter(
    (o) => !describes.has(o.toLowerCase()),
  );
  for (let i = 0; i < todo.length; i += concurrency) {
    const batch = todo.slice(i, i + concurrency).map((o) => [o, describeOrUndefined(conn, o)] as const);
    for (const [o, p] of batch) describes.set(o.toLowerCase(), p);
    // a few describes at a time, not hundreds at once
    await Promise.all(batch.map(([, p]) => p));
  }
  const result: FieldSecurity = { notPermissionable: [], readOnly: [] };
  for (const field of fields) {
    const [object, fieldName] = field.split('.');
    const describe = await describes.get(object.toLowerCase());
    const found = describe?.fields.find((f) => f.name.toLowerCase() === (fieldName ?? '').toLowerCase());
    if (!found) continue;
    if (!isPermissionable(found)) result.notPermissionable.push(field);
    else if (isReadOnly(found)) result.readOnly.push(field);
  }
  return result;
}
