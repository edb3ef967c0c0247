/**
 * create's preflight checks of the org's answers (the request alone is checked before, in input-checks.ts). Each check adds a
 * problem; all problems are reported together, before anything is changed.
 */
import { Messages, SfError } from '@salesforce/core';
import { seatLimitError } from '../org-api/errors.js';
import { sameId } from '../org-api/ids.js';
import type { IdentifiedSeatCount as SeatCount } from '../org-api/licenses.js';
import type { OrgReads } from './preflight.js';
import type { CreateRequest } from './request.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
// 15- and 18-character forms of one Id share the first 15 characters
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.create');

/** The org's answers checked against the request: problems (each an error with actions) and warnings. */
export function checkOrgAnswers(request: CreateRequest, reads: OrgReads): { problems: SfError[]; warnings: string[] } {
  const problems = [
    ...checkSeatsAndUser(request, reads),
    ...checkTargets(request, reads),
    ...checkNamedSets(request, reads),
  ];
  const warnings: string[] = [];
  const existing = reads.users.target;
  if (existing && reads.role && !sameId(existing.userRoleId, reads.role.id)) {
    warnings.push(messages.getMessage('warning.existingDiffers', ['role', `requested ${reads.role.developerName}`]));
  }
  if (existing?.email && existing.email.toLowerCase() !== request.email.toLowerCase()) {
    warnings.push(
      messages.getMessage('warning.existingDiffers', ['email', `${existing.email}, requested ${request.email}`]),
    );
  }
  return { problems, warnings };
}

function checkSeatsAndUser(request: CreateRequest, { seats, users, profile, role }: OrgReads): SfError[] {
  const problems: SfError[] = [];
  const existing = users.target;
  const userLicense = seats.userLicense;
  if (!userLicense) problems.push(messages.createError('error.NoIntegrationLicense'));
  else if (!existing && userLicense.free <= 0) {
    problems.push(seatLimitError('user', String(userLicense.used), String(userLicense.total)));
  }
  if (!profile) problems.push(messages.createError('error.NoIntegrationProfile'));
  if (request.role && !role) problems.push(messages.createError('error.RoleNotFound', [request.role]));
  if (existing && profile && !profile.integrationProfileIds.some((id) => sameId(id, existing.profileId))) {
    problems.push(
      messages.createError('error.UserHasOtherProfile', [
        existing.username,
        existing.profileName ?? existing.profileId ?? '?',
      ]),
    );
  } else if (existing && !existing.isActive) {
    problems.push(messages.createError('error.UserInactive', [existing.username]));
  }
  return problems;
}

function checkTargets(request: CreateRequest, { missing }: OrgReads): SfError[] {
  const problems: SfError[] = [];
  if (missing.objects.length) problems.push(messages.createError('error.UnknownObject', [missing.objects.join(', ')]));
  if (missing.fields.length) problems.push(messages.createError('error.UnknownField', [missing.fields.join(', ')]));
  if (missing.notPermissionable.length) {
    problems.push(messages.createError('error.FieldNotPermissionable', [missing.notPermissionable.join(', ')]));
  }
  const readOnly = new Set(missing.readOnly.map((f) => f.toLowerCase()));
  const editOnReadOnly = request.fields
    .filter((f) => f.access === 'edit')
    .map((f) => missing.canonical.get(f.field.toLowerCase()) ?? f.field)
    .filter((f) => readOnly.has(f.toLowerCase()));
  if (editOnReadOnly.length) problems.push(messages.createError('error.FieldNotEditable', [editOnReadOnly.join(', ')]));
  if (missing.userPermissions.length) {
    problems.push(messages.createError('error.UnknownUserPermission', [missing.userPermissions.join(', ')]));
  }
  return problems;
}

function checkNamedSets(request: CreateRequest, { namedSets, seats }: OrgReads): SfError[] {
  const problems: SfError[] = [];
  const absent = request.permissionSets.filter((n) => !namedSets.has(n.toLowerCase()));
  if (absent.length) problems.push(messages.createError('error.PermissionSetNotFound', [absent.join(', ')]));
  // a set tied to another license (e.g. the full Salesforce user license) can never be assigned to this user
  const okLicenses = [seats.permissionSetLicense?.id, seats.userLicense?.id].filter((id): id is string => Boolean(id));
  const wrongLicense = [...namedSets.values()].filter(
    (ps) => ps.licenseId && !okLicenses.some((id) => sameId(id, ps.licenseId)),
  );
  if (wrongLicense.length) {
    problems.push(
      messages.createError('error.PermissionSetWrongLicense', [wrongLicense.map((ps) => ps.name).join(', ')]),
    );
  }
  return problems;
}

/** The permission set license: there, and a seat free unless the user holds one already. */
export function checkPsl(psl: SeatCount | undefined, hasLicense: boolean): SfError[] {
  if (!psl) return [messages.createError('error.MissingPermissionSetLicense')];
  if (!hasLicense && psl.free <= 0) return [seatLimitError('permissionSet', String(psl.used), String(psl.total))];
  return [];
}

/** One problem is thrown as it is; several as one PreflightFailed listing each, with every action. */
export function throwProblems(problems: SfError[]): void {
  if (problems.length === 1) throw problems[0];
  if (problems.length === 0) return;
  const error = messages.createError('error.PreflightFailed', [
    String(problems.length),
    problems.map((p) => `- ${p.message}`).join('\n'),
  ]);
  error.actions = problems.flatMap((p) => p.actions ?? []);
  error.setData({ problems: problems.map((p) => ({ name: p.name, message: p.message })) });
  throw error;
}
