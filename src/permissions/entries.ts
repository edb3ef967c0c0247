/**
 * Permission set entries built from names and access levels (create's --object, --field and --user-permission, and
 * its definition files), with what Salesforce requires each access to depend on.
 */
import { Messages } from '@salesforce/core';
import { PERMISSION_SET_SECTIONS, type Entry, type SectionName } from './model.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'permissions.convert');

const OBJECT_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  read: [],
  create: ['read'],
  edit: ['read'],
  delete: ['edit'],
  viewAll: ['read'],
  modifyAll: ['viewAll', 'delete'],
};
const OBJECT_ACCESS_ALIASES: Readonly<Record<string, string>> = {
  read: 'read',
  create: 'create',
  edit: 'edit',
  delete: 'delete',
  viewall: 'viewAll',
  modifyall: 'modifyAll',
};

/**
 * An objectPermissions entry for `object` granting `access` (read, create, edit, delete, viewAll, modifyAll)
 * plus what Salesforce requires them to depend on: create and edit need read, delete needs edit, view all needs
 * read, modify all needs view all and delete.
 *
 * @throws SfError UnknownObjectAccess
 */
export function objectEntry(object: string, access: readonly string[]): Entry {
  const granted = new Set<string>();
  const add = (a: string): void => {
    granted.add(a);
    for (const dep of OBJECT_DEPENDENCIES[a] ?? []) add(dep);
  };
  for (const raw of access) {
    const a = OBJECT_ACCESS_ALIASES[raw.trim().toLowerCase()];
    if (!a) {
      throw messages.createError(
        'error.UnknownObjectAccess',
        [raw, object],
        [Object.keys(OBJECT_DEPENDENCIES).join(', ')],
      );
    }
    add(a);
  }
  return {
    allowCreate: granted.has('create'),
    allowDelete: granted.has('delete'),
    allowEdit: granted.has('edit'),
    allowRead: granted.has('read'),
    modifyAllRecords: granted.has('modifyAll'),
    object,
    viewAllFields: false,
    viewAllRecords: granted.has('viewAll'),
  };
}

/** A fieldPermissions entry for `Object.Field`: edit implies read. */
export function fieldEntry(field: string, access: 'read' | 'edit'): Entry {
  return { editable: access === 'edit', field, readable: true };
}

/** An entry of a `{enabled, name}`-style section (userPermissions, classAccesses, customPermissions…), enabled. */
export function enabledEntry(section: SectionName, name: string): Entry {
  const spec = PERMISSION_SET_SECTIONS[section];
  const entry: Entry = { [spec.key]: name };
  for (const grant of spec.grants) entry[grant] = true;
  return entry;
}
