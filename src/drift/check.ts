import type { Connection } from '@salesforce/core';
import { diffPermissionSet, readOrgPermissionSets } from '../create/org-permission-sets.js';
import type { Generator } from '../create/executor.js';
import { wantsGeneratedAccess, type CreateRequest } from '../create/request.js';
import type { OrgEnvironment } from '../environments/org-environment.js';
import { resolveUsername, type UsernameOverrides } from '../environments/resolve-username.js';
import { getAssignedPermissionSetNames, hasLicenseAssignment } from '../org-api/assignments.js';
import { getIntegrationSeats, getPslAllowedPermissions, type IntegrationSeats } from '../org-api/licenses.js';
import { findIntegrationProfile, type ProfileRef } from '../org-api/profile.js';
import { soqlLiteral } from '../org-api/soql.js';
import { sameId } from '../org-api/ids.js';

export type DriftKind =
  | 'missing-user'
  | 'inactive-user'
  | 'wrong-profile'
  | 'wrong-role'
  | 'permission-set-missing'
  | 'permission-set-added-in-org'
  | 'permission-set-missing-in-org'
  | 'permission-set-changed'
  | 'assignment-missing'
  | 'assignment-extra'
  | 'seats';

export type Drift = { kind: DriftKind; detail: string };

export type UserCheck = {
  file?: string;
  definitionUsername: string;
  username: string;
  drift: Drift[];
};

type OrgUser = {
  Id: string;
  Username: string;
  IsActive: boolean;
  ProfileId: string;
  Profile?: { Name?: string } | null;
  UserRoleId: string | null;
  UserRole?: { DeveloperName?: string } | null;
};

/** Shared reads for every definition of one check. */
export type CheckContext = {
  conn: Connection;
  env: OrgEnvironment;
  generator: Generator;
  profile?: ProfileRef;
  seats: IntegrationSeats;
};

export async function checkContext(conn: Connection, env: OrgEnvironment, generator: Generator): Promise<CheckContext> {
  const [profile, seats] = await Promise.all([findIntegrationProfile(conn), getIntegrationSeats(conn)]);
  return { conn, env, generator, profile, seats };
}

/**
 * Compares one definition with the org, reading only: the user (exists, active, profile, role), the generated
 * permission sets as the org holds them (readMetadata, entry by entry), the assignments (missing, and extra ones
 * assigned by hand), and the seats a fix would need.
 */
export async function checkDefinition(
  ctx: CheckContext,
  request: CreateRequest,
  overrides: UsernameOverrides = {},
): Promise<Omit<UserCheck, 'file'>> {
  const { conn } = ctx;
  const resolved = await resolveUsername(conn, request.username, ctx.env, overrides);
  const drift: Drift[] = [];
  const generated = wantsGeneratedAccess(request) ? await generate(ctx, request) : [];
  const { records } = await conn.query<OrgUser>(
    `SELECT Id, Username, IsActive, ProfileId, Profile.Name, UserRoleId, UserRole.DeveloperName FROM User WHERE Username = ${soqlLiteral(resolved.username)}`,
  );
  const user = records[0];
  const seats = ctx.seats;
  if (!user) {
    drift.push({ kind: 'missing-user', detail: `${resolved.username} doesn't exist in this org` });
    if (seats.userLicense && seats.userLicense.free <= 0)
      drift.push({
        kind: 'seats',
        detail: `no free Salesforce Integration seat to create it (${seats.userLicense.used} of ${seats.userLicense.total} used)`,
      });
  } else {
    if (!user.IsActive) drift.push({ kind: 'inactive-user', detail: `${user.Username} is inactive` });
    if (ctx.profile && !ctx.profile.integrationProfileIds.some((id) => sameId(id, user.ProfileId))) {
      drift.push({
        kind: 'wrong-profile',
        detail: `profile "${user.Profile?.Name ?? user.ProfileId}", expected "${ctx.profile.name}"`,
      });
    }
    const role = user.UserRole?.DeveloperName;
    if ((request.role ?? '').toLowerCase() !== (role ?? '').toLowerCase()) {
      drift.push({ kind: 'wrong-role', detail: `role ${role ?? '(none)'}, expected ${request.role ?? '(none)'}` });
    }
  }
  drift.push(...(await permissionSetDrift(conn, generated)));
  if (user)
    drift.push(
      ...(await assignmentDrift(ctx, user.Id, [...generated.map((d) => d.fullName), ...request.permissionSets])),
    );
  return { definitionUsername: request.username, username: resolved.username, drift };
}

async function generate(
  ctx: CheckContext,
  request: CreateRequest,
): Promise<Awaited<ReturnType<Generator['generate']>>['docs']> {
  // the same inputs as create: what the permission set license carries, from the org
  const licensed =
    request.userPermissions.length || request.fromProfileFile
      ? await getPslAllowedPermissions(ctx.conn, request.fromProfileFile ? undefined : request.userPermissions).catch(
          () => undefined,
        )
      : undefined;
  return (await ctx.generator.generate(request, { licensedUserPermissions: licensed })).docs;
}

async function permissionSetDrift(conn: Connection, docs: Awaited<ReturnType<typeof generate>>): Promise<Drift[]> {
  if (docs.length === 0) return [];
  const inOrg = await readOrgPermissionSets(
    conn,
    docs.map((d) => d.fullName),
  );
  const drift: Drift[] = [];
  for (const doc of docs) {
    const org = inOrg.get(doc.fullName);
    if (!org) {
      drift.push({ kind: 'permission-set-missing', detail: `${doc.fullName} isn't in the org` });
      continue;
    }
    for (const d of diffPermissionSet(doc, org)) {
      if (d.endsWith(' only in the org'))
        drift.push({
          kind: 'permission-set-added-in-org',
          detail: `${doc.fullName}: ${d.replace(/ only in the org$/, '')} added in the org`,
        });
      else if (d.endsWith(' not in the org'))
        drift.push({
          kind: 'permission-set-missing-in-org',
          detail: `${doc.fullName}: ${d.replace(/ not in the org$/, '')} missing in the org`,
        });
      else drift.push({ kind: 'permission-set-changed', detail: `${doc.fullName}: ${d} differs` });
    }
  }
  return drift;
}

async function assignmentDrift(ctx: CheckContext, userId: string, expected: string[]): Promise<Drift[]> {
  const psl = ctx.seats.permissionSetLicense;
  const [assigned, hasLicense] = await Promise.all([
    getAssignedPermissionSetNames(ctx.conn, userId),
    psl ? hasLicenseAssignment(ctx.conn, userId, psl.id) : Promise.resolve(true),
  ]);
  const drift: Drift[] = [];
  if (!hasLicense) {
    drift.push({
      kind: 'assignment-missing',
      detail: 'permission set license SalesforceAPIIntegrationPsl not assigned',
    });
    if (psl && psl.free <= 0)
      drift.push({
        kind: 'seats',
        detail: `no free Salesforce API Integration permission set license (${psl.used} of ${psl.total} used)`,
      });
  }
  const want = new Set(expected.map((n) => n.toLowerCase()));
  for (const name of expected)
    if (!assigned.has(name.toLowerCase())) drift.push({ kind: 'assignment-missing', detail: `${name} not assigned` });
  // the profile's own set (X<id>) and group aggregates carry no Name a person gives: only named sets count as extra
  for (const name of assigned)
    if (!want.has(name) && !/^x[0-9a-z]{15,18}$/i.test(name))
      drift.push({ kind: 'assignment-extra', detail: `${name} assigned in the org but not in the definition` });
  return drift;
}
