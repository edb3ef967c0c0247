/**
 * Record create/update/delete with Salesforce's rules (required fields, unique usernames, license seats,
 * permission set license prerequisites, duplicate assignments). Throws ApiError with Salesforce's codes.
 */
import { ApiError, MESSAGES } from './errors.js';
import { looksLikeId, to18 } from './ids.js';
import type { ObjectDef } from './schema.js';
import { REQUIRED_ON_CREATE as REQUIRED } from './schema-rules.js';
import { groupPermissionSet, insertPermissionSetGroup } from './permsets.js';
import { LICENSE_NAMES, type OrgState, type Rec } from './state.js';
import { checkDeactivation } from './retire-rules.js';

const LABELS: Record<string, string> = {
  ApiEnabled: 'API Enabled',
  ApiUserOnly: 'API Only User',
  ModifyAllData: 'Modify All Data',
  ViewAllData: 'View All Data',
  ViewSetup: 'View Setup and Configuration',
  ManageUsers: 'Manage Users',
  CustomizeApplication: 'Customize Application',
  AuthorApex: 'Author Apex',
};

export function permissionLabel(name: string): string {
  return LABELS[name] ?? name.replace(/([a-z])([A-Z])/g, '$1 $2');
}

function notFound(): ApiError {
  return new ApiError('NOT_FOUND', MESSAGES.notFound, [], 404);
}

/** The object at the request's API version (none: every version); unknown or not yet there: 404 NOT_FOUND. */
export function objectOrThrow(org: OrgState, name: string, version?: string): ObjectDef {
  const obj = org.schema.objectAt(name, version);
  if (!obj || obj.toolingOnly) throw notFound();
  return obj;
}

function cleanValues(
  org: OrgState,
  obj: ObjectDef,
  body: Record<string, unknown>,
  op: 'create' | 'update',
  version?: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const readOnly: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    if (k === 'attributes' || (k === 'Id' && op === 'update')) continue;
    const f = org.schema.fieldAt(obj, k, version);
    if (!f) throw new ApiError('INVALID_FIELD', `No such column '${k}' on sobject of type ${obj.name}`, []);
    if (op === 'create' ? !f.createable : !f.updateable) {
      readOnly.push(f.name);
      continue;
    }
    if (f.type === 'reference' && v !== null && v !== '' && v !== undefined) {
      const target = looksLikeId(String(v)) ? org.get(String(v)) : undefined;
      if (!target || !(f.referenceTo!.includes('*') || f.referenceTo!.includes(org.objectOf(target.Id)!.name))) {
        throw new ApiError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name]);
      }
      out[f.name] = to18(String(v));
      continue;
    }
    if (f.type === 'boolean' && typeof v !== 'boolean' && v !== null) {
      throw new ApiError(
        'JSON_PARSER_ERROR',
        `Cannot deserialize instance of boolean from VALUE_STRING value ${String(v)} or request may be missing a required field`,
        [],
      );
    }
    out[f.name] = v === '' ? null : v;
  }
  if (readOnly.length) {
    throw new ApiError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      readOnly,
    );
  }
  return out;
}

function requireFields(obj: ObjectDef, values: Record<string, unknown>): void {
  // custom fields seeded required (or master-detail) are required too
  const custom = [...obj.fields.values()].filter((f) => f.required && f.custom).map((f) => f.name);
  const missing = [...(REQUIRED[obj.name] ?? []), ...custom].filter(
    (f) => values[f] === undefined || values[f] === null || values[f] === '',
  );
  if (missing.length) throw new ApiError('REQUIRED_FIELD_MISSING', MESSAGES.requiredMissing(missing), missing);
}

export class Dml {
  /** version: the request's API version (fields and objects of later versions are unknown); none: every version */
  public constructor(
    private readonly org: OrgState,
    private readonly version?: string,
  ) {}

  public create(objectName: string, body: Record<string, unknown>): Rec {
    const org = this.org;
    const obj = objectOrThrow(org, objectName, this.version);
    if (!obj.createable)
      throw new ApiError('INVALID_TYPE_FOR_OPERATION', `entity type ${obj.name} does not support create`, []);
    const values = cleanValues(org, obj, body, 'create', this.version);
    requireFields(obj, values);
    switch (obj.name) {
      case 'User':
        return this.createUser(values);
      case 'PermissionSetLicenseAssign':
        return this.createPsla(values);
      case 'PermissionSetAssignment':
        return this.createPsa(values);
      case 'PermissionSet': {
        if (org.permissionSetByName(String(values.Name))) {
          throw new ApiError(
            'DUPLICATE_DEVELOPER_NAME',
            'The API name you entered is already in use. Please enter a unique API name.',
            ['Name'],
          );
        }
        return org.insert('PermissionSet', { ...values, IsCustom: true, IsOwnedByProfile: false, Type: 'Regular' });
      }
      case 'PermissionSetGroup': {
        const name = String(values.DeveloperName).toLowerCase();
        if (org.find('PermissionSetGroup', (g) => String(g.DeveloperName).toLowerCase() === name)) {
          throw new ApiError(
            'DUPLICATE_DEVELOPER_NAME',
            'The API name you entered is already in use. Please enter a unique API name.',
            ['DeveloperName'],
          );
        }
        // Salesforce creates the group's aggregate permission set with it
        return insertPermissionSetGroup(org, values).group;
      }
      default:
        return org.insert(obj.name, values);
    }
  }

  public update(objectName: string, id: string, body: Record<string, unknown>): void {
    const org = this.org;
    const obj = objectOrThrow(org, objectName, this.version);
    const rec = org.get(id);
    if (!rec || org.objectOf(rec.Id) !== obj) throw notFound();
    if (!obj.updateable)
      throw new ApiError('INVALID_TYPE_FOR_OPERATION', `entity type ${obj.name} does not support update`, []);
    if (rec.IsOwnedByProfile === true)
      throw new ApiError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', []);
    const values = cleanValues(org, obj, body, 'update', this.version);
    if (obj.name === 'User') return this.updateUser(rec, values);
    const merged = { ...rec, ...values };
    requireFields(obj, merged);
    org.update(rec, values);
  }

  public remove(objectName: string, id: string): void {
    const org = this.org;
    const obj = objectOrThrow(org, objectName, this.version);
    const rec = org.get(id);
    if (!rec || org.objectOf(rec.Id) !== obj) {
      throw new ApiError('ENTITY_IS_DELETED', 'entity is deleted', [], 404);
    }
    if (!obj.deletable)
      throw new ApiError('INVALID_TYPE_FOR_OPERATION', `entity type ${obj.name} does not support delete`, []);
    if (obj.name === 'PermissionSet') {
      if (rec.IsOwnedByProfile)
        throw new ApiError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', []);
      if (org.find('PermissionSetAssignment', (a) => a.PermissionSetId === rec.Id)) {
        throw new ApiError(
          'DELETE_FAILED',
          'Cannot delete a permission set that is assigned to users. Remove the assignments first.',
          [],
        );
      }
      for (const t of ['ObjectPermissions', 'FieldPermissions', 'SetupEntityAccess', 'PermissionSetTabSetting'])
        for (const c of org.filter(t, (x) => x.ParentId === rec.Id)) org.remove(c.Id);
      org.permissionSetMeta.delete(rec.Id);
    }
    if (obj.name === 'PermissionSetGroup') {
      if (org.find('PermissionSetAssignment', (a) => a.PermissionSetGroupId === rec.Id)) {
        throw new ApiError(
          'DELETE_FAILED',
          'Cannot delete a permission set group that is assigned to users. Remove the assignments first.',
          [],
        );
      }
      // the aggregate permission set and the group's components go with it
      for (const c of org.filter('PermissionSetGroupComponent', (x) => x.PermissionSetGroupId === rec.Id))
        org.remove(c.Id);
      const aggregate = groupPermissionSet(org, rec.Id);
      if (aggregate) org.remove(aggregate.Id);
    }
    if (obj.name === 'PermissionSetAssignment') {
      const ps = org.get(rec.PermissionSetId as string);
      if (ps?.IsOwnedByProfile)
        throw new ApiError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', []);
    }
    org.remove(rec.Id);
    if (obj.name === 'PermissionSetLicenseAssign') org.recountLicenses();
  }

  // ---- User -------------------------------------------------------------------------------------

  private createUser(values: Record<string, unknown>): Rec {
    const org = this.org;
    this.checkUserValues(values);
    const username = String(values.Username);
    if (org.usernameTaken(username)) throw new ApiError('DUPLICATE_USERNAME', MESSAGES.duplicateUsername, ['Username']);
    const active = values.IsActive !== false;
    const profile = org.get(values.ProfileId as string)!;
    if (active) this.checkSeat(profile);
    const user = org.insert('User', {
      IsActive: true,
      UserType: 'Standard',
      CommunityNickname: `${username.split('@')[0]}${Math.floor(Math.random() * 1e6)}`,
      ...values,
    });
    org.registerUsername(user);
    this.assignProfileSet(user);
    org.recountLicenses();
    return user;
  }

  private updateUser(user: Rec, values: Record<string, unknown>): void {
    const org = this.org;
    const merged = { ...user, ...values };
    const missing = REQUIRED.User.filter((f) => merged[f] === undefined || merged[f] === null || merged[f] === '');
    if (missing.length) throw new ApiError('REQUIRED_FIELD_MISSING', MESSAGES.requiredMissing(missing), missing);
    this.checkUserValues(values);
    checkDeactivation(org, user, values);
    if (values.Username !== undefined && org.usernameTaken(String(values.Username), user.Id)) {
      throw new ApiError('DUPLICATE_USERNAME', MESSAGES.duplicateUsername, ['Username']);
    }
    const profileChanged = values.ProfileId !== undefined && values.ProfileId !== user.ProfileId;
    const activating = values.IsActive === true && user.IsActive !== true;
    const newProfile = org.get(merged.ProfileId as string)!;
    if (
      merged.IsActive === true &&
      (activating || (profileChanged && org.get(user.ProfileId as string)?.UserLicenseId !== newProfile.UserLicenseId))
    ) {
      this.checkSeat(newProfile);
    }
    if (values.Username !== undefined) org.ctx.usernames.delete(String(user.Username).toLowerCase());
    org.update(user, values);
    org.registerUsername(user);
    if (profileChanged) {
      for (const a of org.filter(
        'PermissionSetAssignment',
        (x) => x.AssigneeId === user.Id && org.get(x.PermissionSetId as string)?.IsOwnedByProfile === true,
      ))
        org.remove(a.Id);
      this.assignProfileSet(user);
    }
    org.recountLicenses();
  }

  private checkUserValues(values: Record<string, unknown>): void {
    if (values.Username !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(values.Username))) {
      throw new ApiError('INVALID_EMAIL_ADDRESS', `Username: invalid email address: ${String(values.Username)}`, [
        'Username',
      ]);
    }
    if (values.Email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(values.Email))) {
      throw new ApiError('INVALID_EMAIL_ADDRESS', `Email: invalid email address: ${String(values.Email)}`, ['Email']);
    }
    if (values.Alias !== undefined && String(values.Alias).length > 8) {
      throw new ApiError('STRING_TOO_LONG', `Alias: data value too large: ${String(values.Alias)} (max length=8)`, [
        'Alias',
      ]);
    }
  }

  private checkSeat(profile: Rec): void {
    const org = this.org;
    org.recountLicenses();
    const lic = org.get(profile.UserLicenseId as string);
    if (lic && Number(lic.UsedLicenses) >= Number(lic.TotalLicenses))
      throw new ApiError('LICENSE_LIMIT_EXCEEDED', MESSAGES.licenseLimitExceeded, []);
  }

  private assignProfileSet(user: Rec): void {
    const ps = this.org.find('PermissionSet', (p) => p.ProfileId === user.ProfileId);
    if (ps) this.org.insert('PermissionSetAssignment', { AssigneeId: user.Id, PermissionSetId: ps.Id, IsActive: true });
  }

  // ---- licenses and assignments ------------------------------------------------------------------

  private createPsla(values: Record<string, unknown>): Rec {
    const org = this.org;
    const psl = org.get(values.PermissionSetLicenseId as string)!;
    if (
      org.find(
        'PermissionSetLicenseAssign',
        (a) => a.AssigneeId === values.AssigneeId && a.PermissionSetLicenseId === psl.Id,
      )
    ) {
      throw new ApiError('DUPLICATE_VALUE', MESSAGES.duplicateValue, []);
    }
    org.recountLicenses();
    if (Number(psl.UsedLicenses) >= Number(psl.TotalLicenses))
      throw new ApiError('LICENSE_LIMIT_EXCEEDED', MESSAGES.licenseLimitExceeded, []);
    const rec = org.insert('PermissionSetLicenseAssign', values);
    org.recountLicenses();
    return rec;
  }

  private createPsa(values: Record<string, unknown>): Rec {
    const org = this.org;
    if (!values.PermissionSetId && !values.PermissionSetGroupId)
      throw new ApiError('REQUIRED_FIELD_MISSING', MESSAGES.requiredMissing(['PermissionSetId']), ['PermissionSetId']);
    if (values.PermissionSetGroupId) {
      if (
        org.find(
          'PermissionSetAssignment',
          (a) => a.AssigneeId === values.AssigneeId && a.PermissionSetGroupId === values.PermissionSetGroupId,
        )
      ) {
        throw new ApiError('DUPLICATE_VALUE', MESSAGES.duplicateValue, []);
      }
      // a group assignment names the group's aggregate permission set in PermissionSetId, as Salesforce fills it in
      const aggregate = groupPermissionSet(org, values.PermissionSetGroupId as string);
      return org.insert('PermissionSetAssignment', {
        ...values,
        PermissionSetId: aggregate?.Id ?? null,
        IsActive: true,
      });
    }
    const user = org.get(values.AssigneeId as string)!;
    const ps = org.get(values.PermissionSetId as string)!;
    if (ps.IsOwnedByProfile) {
      throw new ApiError(
        'INVALID_CROSS_REFERENCE_KEY',
        "You can't assign or unassign this permission set because it's associated with a profile.",
        ['PermissionSetId'],
      );
    }
    if (org.find('PermissionSetAssignment', (a) => a.AssigneeId === user.Id && a.PermissionSetId === ps.Id)) {
      throw new ApiError('DUPLICATE_VALUE', MESSAGES.duplicateValue, []);
    }
    const problem = this.licenseProblem(user, ps);
    if (problem) throw new ApiError('FIELD_INTEGRITY_EXCEPTION', problem, []);
    return org.insert('PermissionSetAssignment', { ...values, IsActive: true });
  }

  /** Why the user's licenses cannot carry the permission set, or undefined. */
  private licenseProblem(user: Rec, ps: Rec): string | undefined {
    const org = this.org;
    const userLicense = org.userLicenseOfUser(user);
    const held = org
      .filter('PermissionSetLicenseAssign', (a) => a.AssigneeId === user.Id)
      .map((a) => org.get(a.PermissionSetLicenseId as string)!);
    const enabled = org.schema.userPermissions.filter((p) => ps[`Permissions${p}`] === true);
    const objectGrant = org.find(
      'ObjectPermissions',
      (o) =>
        o.ParentId === ps.Id &&
        (o.PermissionsRead === true || o.PermissionsCreate === true || o.PermissionsEdit === true),
    );
    const firstGrant = (): string =>
      enabled.length
        ? permissionLabel(enabled[0])
        : objectGrant
          ? `Read ${String(objectGrant.SobjectType)}`
          : String(ps.Label ?? ps.Name);
    const license = ps.LicenseId ? org.get(ps.LicenseId as string) : undefined;
    if (license && org.objectOf(license.Id)!.name === 'UserLicense') {
      if (!userLicense || userLicense.Id !== license.Id) return MESSAGES.userLicenseDisallows(firstGrant());
      return undefined;
    }
    if (license) {
      // a PSL-licensed set needs that PSL assigned first, and only carries what the PSL allows
      if (!held.some((h) => h.Id === license.Id)) return MESSAGES.userLicenseDisallows(firstGrant());
      const bad = enabled.find((p) => license[`MaximumPermissions${p}`] !== true);
      return bad ? MESSAGES.userLicenseDisallows(permissionLabel(bad)) : undefined;
    }
    if (userLicense?.Name === LICENSE_NAMES.integration) {
      // an integration user gets object access and most permissions only through a permission set license
      const allowedByPsl = (p: string): boolean => held.some((h) => h[`MaximumPermissions${p}`] === true);
      const bad = enabled.find((p) => p !== 'ApiEnabled' && p !== 'ApiUserOnly' && !allowedByPsl(p));
      if (bad) return MESSAGES.userLicenseDisallows(permissionLabel(bad));
      if (objectGrant && !held.length) return MESSAGES.userLicenseDisallows(`Read ${String(objectGrant.SobjectType)}`);
    }
    return undefined;
  }
}
