/**
 * create's preflight: every read the run needs before it changes anything, sent together, then every check
 * (preflight-checks.ts), so the user fixes all problems in one go. Changes nothing.
 */
import type { Connection } from '@salesforce/core';
import { findFieldSecurity, findMissingTargets, type MissingTargets } from '../org-api/access-check.js';
import { findPermissionSets, getAssignedPermissionSetNamesOf, getLicenseIdsOf } from '../org-api/assignments.js';
import { batchedReads } from '../org-api/batched-reads.js';
import { getIntegrationSeats, getPslAllowedPermissions } from '../org-api/licenses.js';
import { findIntegrationProfile, findRole } from '../org-api/profile.js';
import { lookupUsers } from '../org-api/users.js';
import { readProfileFile } from '../profile/read-profile.js';
import type { ConversionInput } from '../permissions/convert.js';
import { applyFieldSecurity, convertedFields, type SecuredInput } from './field-security.js';
import { readFromUser } from './from-user.js';
import { checkOrgAnswers, checkPsl, throwProblems } from './preflight-checks.js';
import type { CreateRequest } from './request.js';
import type { Preflight } from './types.js';

/** The org's answers preflight checks. */
export type OrgReads = Awaited<ReturnType<typeof readOrg>>;

/** All read-only checks; collects every problem so the user fixes them in one go. */
export async function preflight(conn: Connection, request: CreateRequest): Promise<Preflight> {
  const warnings: string[] = [];
  const reads = await readOrg(batchedReads(conn), request, warnings);
  const { problems, warnings: checked } = checkOrgAnswers(request, reads);
  warnings.push(...checked);

  // the user's current assignments (read with the rest, by username) decide what a re-run still has to do
  const existing = reads.users.target;
  const psl = reads.seats.permissionSetLicense;
  const hasLicense = Boolean(existing && psl && reads.licenseIds.has(psl.id));
  const assigned = existing ? reads.assigned : new Set<string>();
  problems.push(...checkPsl(psl, hasLicense));
  throwProblems(problems);

  const profile = reads.profile!;
  return {
    profile,
    role: reads.role,
    existing,
    pslId: psl!.id,
    hasLicense,
    assigned,
    namedSets: reads.namedSets,
    seats: reads.seats,
    licensedUserPermissions: reads.licensedUserPermissions,
    fromUser: reads.fromUser,
    conversion: await secureConversion(conn, request, reads.profileInput ?? reads.fromUser?.input, reads.missing),
    warnings: [...warnings, ...(reads.fromUser?.access.warnings ?? [])],
    request: canonicalize(request, reads.missing.canonical),
    newUser: {
      username: request.username,
      email: request.email,
      firstName: request.firstName,
      lastName: request.lastName,
      alias: request.alias,
      profileId: profile.id,
      userRoleId: reads.role?.id,
      marketingUser: request.marketingUser,
      defaults: reads.users.defaults,
    },
  };
}

/** The independent reads, sent together. */
async function readOrg(conn: Connection, request: CreateRequest, warnings: string[]) {
  // the PSL's own list of what it carries matters only when user permissions are converted
  const wantsPslList =
    request.userPermissions.length > 0 || Boolean(request.fromProfileFile) || Boolean(request.fromUser);
  return allOf({
    seats: getIntegrationSeats(conn),
    profile: findIntegrationProfile(conn),
    role: request.role ? findRole(conn, request.role) : undefined,
    users: lookupUsers(conn, request.username),
    missing: findMissingTargets(conn, {
      objects: request.objects.map((o) => o.object),
      fields: request.fields.map((f) => f.field),
      userPermissions: request.userPermissions,
    }),
    namedSets: findPermissionSets(conn, request.permissionSets),
    licensedUserPermissions: wantsPslList
      ? getPslAllowedPermissions(
          conn,
          request.fromProfileFile || request.fromUser ? undefined : request.userPermissions,
        ).catch((e: unknown) => {
          warnings.push(
            `Couldn't read what the permission set license carries (${e instanceof Error ? e.message : String(e)}): using the built-in list.`,
          );
          return undefined;
        })
      : undefined,
    fromUser: request.fromUser ? readFromUser(conn, request.fromUser, { usageDays: request.usageDays }) : undefined,
    profileInput: request.fromProfileFile ? readProfileFile(request.fromProfileFile) : undefined,
    licenseIds: getLicenseIdsOf(conn, request.username),
    assigned: getAssignedPermissionSetNamesOf(conn, request.username),
  });
}

/** Awaits every value of a record together (Promise.all by name): the record of what they resolve to. */
async function allOf<T extends Record<string, unknown>>(record: T): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const values = await Promise.all(Object.values(record));
  return Object.fromEntries(Object.keys(record).map((k, i) => [k, values[i]])) as { [K in keyof T]: Awaited<T[K]> };
}

/**
 * Converted access (profile file, old user): what field-level security can't grant is left out, not a failed deploy;
 * --field entries replace converted ones and were checked already. Objects described already aren't asked again.
 */
async function secureConversion(
  conn: Connection,
  request: CreateRequest,
  base: ConversionInput | undefined,
  missing: MissingTargets,
): Promise<SecuredInput | undefined> {
  if (!base) return undefined;
  const requested = new Set(request.fields.map((f) => f.field.toLowerCase()));
  const fields = convertedFields(base).filter((f) => !requested.has(f.toLowerCase()));
  return applyFieldSecurity(base, await findFieldSecurity(conn, fields, missing.describes));
}

/** The request with object, field and permission names as the org spells them (the converter matches exactly). */
function canonicalize(request: CreateRequest, canonical: Map<string, string>): CreateRequest {
  const name = (n: string): string => canonical.get(n.toLowerCase()) ?? n;
  return {
    ...request,
    objects: request.objects.map((o) => ({ ...o, object: name(o.object) })),
    fields: request.fields.map((f) => ({ ...f, field: name(f.field) })),
    userPermissions: request.userPermissions.map(name),
  };
}
