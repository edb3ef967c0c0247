/**
 * Record create/update/delete with Salesforce's rules (required fields, unique usernames, license seats,
 * permission set license prerequisites, duplicate assignments). Throws ApiError with Salesforce's codes.
 * Users: user-dml.ts; license and permission set assignments: assignment-dml.ts; field values: dml-values.ts.
 */
import { createPsa, createPsla } from './assignment-dml.js';
import { cleanValues, objectOrThrow, requireFields } from './dml-values.js';
import { ApiError, notFound } from './errors.js';
import { groupPermissionSet, insertPermissionSetGroup } from './permission-set-groups.js';
import type { OrgState, Rec } from './state.js';
import { createUser, updateUser } from './user-dml.js';

const readOnly = (): ApiError =>
  new ApiError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', []);
const nameInUse = (field: string): ApiError =>
  new ApiError(
    'DUPLICATE_DEVELOPER_NAME',
    'The API name you entered is already in use. Please enter a unique API name.',
    [field],
  );
const unsupported = (op: string, object: string): ApiError =>
  new ApiError('INVALID_TYPE_FOR_OPERATION', `entity type ${object} does not support ${op}`, []);

export class Dml {
  /** version: the request's API version (fields and objects of later versions are unknown); none: every version */
  public constructor(
    private readonly org: OrgState,
    private readonly version?: string,
  ) {}

  public create(objectName: string, body: Record<string, unknown>): Rec {
    const org = this.org;
    const obj = objectOrThrow(org, objectName, this.version);
    if (!obj.createable) throw unsupported('create', obj.name);
    const values = cleanValues(org, obj, body, 'create', this.version);
    requireFields(obj, values);
    switch (obj.name) {
      case 'User':
        return createUser(org, values);
      case 'PermissionSetLicenseAssign':
        return createPsla(org, values);
      case 'PermissionSetAssignment':
        return createPsa(org, values);
      case 'PermissionSet':
        if (org.permissionSetByName(String(values.Name))) throw nameInUse('Name');
        return org.insert('PermissionSet', { ...values, IsCustom: true, IsOwnedByProfile: false, Type: 'Regular' });
      case 'PermissionSetGroup': {
        const name = String(values.DeveloperName).toLowerCase();
        if (org.find('PermissionSetGroup', (g) => String(g.DeveloperName).toLowerCase() === name))
          throw nameInUse('DeveloperName');
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
    if (!obj.updateable) throw unsupported('update', obj.name);
    if (rec.IsOwnedByProfile === true) throw readOnly();
    const values = cleanValues(org, obj, body, 'update', this.version);
    if (obj.name === 'User') return updateUser(org, rec, values);
    requireFields(obj, { ...rec, ...values });
    org.update(rec, values);
  }

  public remove(objectName: string, id: string): void {
    const org = this.org;
    const obj = objectOrThrow(org, objectName, this.version);
    const rec = org.get(id);
    if (!rec || org.objectOf(rec.Id) !== obj) throw new ApiError('ENTITY_IS_DELETED', 'entity is deleted', [], 404);
    if (!obj.deletable) throw unsupported('delete', obj.name);
    if (obj.name === 'PermissionSet') this.removePermissionSetRows(rec);
    if (obj.name === 'PermissionSetGroup') this.removeGroupRows(rec);
    if (obj.name === 'PermissionSetAssignment' && org.get(rec.PermissionSetId as string)?.IsOwnedByProfile)
      throw readOnly();
    org.remove(rec.Id);
    if (obj.name === 'PermissionSetLicenseAssign') org.recountLicenses();
  }

  /** A permission set that is not a profile's and not assigned goes with its permission rows. */
  private removePermissionSetRows(ps: Rec): void {
    const org = this.org;
    if (ps.IsOwnedByProfile) throw readOnly();
    if (org.find('PermissionSetAssignment', (a) => a.PermissionSetId === ps.Id)) {
      throw new ApiError(
        'DELETE_FAILED',
        'Cannot delete a permission set that is assigned to users. Remove the assignments first.',
        [],
      );
    }
    for (const t of ['ObjectPermissions', 'FieldPermissions', 'SetupEntityAccess', 'PermissionSetTabSetting'])
      for (const c of org.filter(t, (x) => x.ParentId === ps.Id)) org.remove(c.Id);
    org.permissionSetMeta.delete(ps.Id);
  }

  /** A group that is not assigned goes with its aggregate permission set and its components. */
  private removeGroupRows(group: Rec): void {
    const org = this.org;
    if (org.find('PermissionSetAssignment', (a) => a.PermissionSetGroupId === group.Id)) {
      throw new ApiError(
        'DELETE_FAILED',
        'Cannot delete a permission set group that is assigned to users. Remove the assignments first.',
        [],
      );
    }
    for (const c of org.filter('PermissionSetGroupComponent', (x) => x.PermissionSetGroupId === group.Id))
      org.remove(c.Id);
    const aggregate = groupPermissionSet(org, group.Id);
    if (aggregate) org.remove(aggregate.Id);
  }
}
