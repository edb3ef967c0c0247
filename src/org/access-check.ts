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
};

type Describe = { name: string; fields: Array<{ name: string }> };

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
    return (await conn.describe(name)) as unknown as Describe;
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
      [...targets.objects, ...targets.fields.map((f) => f.split('.')[0])].map((o) => [o.toLowerCase(), o])
    ).values(),
  ];
  const describes = await Promise.all(objectNames.map((name) => describeOrUndefined(conn, name)));
  const byObject = new Map(objectNames.map((name, i) => [name.toLowerCase(), describes[i]]));

  const missing: MissingTargets = { objects: [], fields: [], userPermissions: [], canonical: new Map() };
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
    if (found) missing.canonical.set(field.toLowerCase(), `${describe.name}.${found.name}`);
    else missing.fields.push(field);
  }
  if (targets.userPermissions.length > 0) {
    const ps = (await conn.describe('PermissionSet')) as unknown as Describe;
    const names = new Map(ps.fields.map((f) => [f.name.toLowerCase(), f.name]));
    for (const perm of targets.userPermissions) {
      const found = names.get(`permissions${perm.toLowerCase()}`);
      if (found) missing.canonical.set(perm.toLowerCase(), found.slice('Permissions'.length));
      else missing.userPermissions.push(perm);
    }
  }
  return missing;
}
