/**
 * Field-level security rules for converted access (--from-profile-file, --from-user): a permission set can't name
 * a required or system field (the deploy fails with "You cannot deploy to a required field"), and can't make a
 * formula or read-only field editable. Such entries are taken out or reduced to read, each with its reason.
 */
import { Messages } from '@salesforce/core';
import type { ConversionInput, OmittedEntry } from '../permissions/convert.js';
import type { Entry } from '../permissions/model.js';
import type { FieldSecurity } from '../org-api/access-check.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.create');

export type SecuredInput = {
  input: ConversionInput;
  /** entries left out: field-level security doesn't apply to these fields */
  omitted: OmittedEntry[];
  /** one per field whose edit access was reduced to read */
  warnings: string[];
};

const granted = (v: Entry[string] | undefined): boolean => v === true || v === 'true';

/** The fields of the input's fieldPermissions, as Object.Field. */
export const convertedFields = (input: ConversionInput | undefined): string[] =>
  (input?.sections.fieldPermissions ?? []).map((e) => String(e.field ?? '')).filter((f) => f.includes('.'));

/** The input without fieldPermissions on non-permissionable fields, and with read-only fields read, not edit. */
export function applyFieldSecurity(input: ConversionInput, security: FieldSecurity): SecuredInput {
  const lower = (names: string[]): Set<string> => new Set(names.map((n) => n.toLowerCase()));
  const notPermissionable = lower(security.notPermissionable);
  const readOnly = lower(security.readOnly);
  const omitted: OmittedEntry[] = [];
  const warnings: string[] = [];
  const fields: Entry[] = [];
  for (const entry of input.sections.fieldPermissions ?? []) {
    const field = String(entry.field ?? '');
    if (notPermissionable.has(field.toLowerCase())) {
      omitted.push({
        section: 'fieldPermissions',
        name: field,
        reason: messages.getMessage('omitted.notPermissionable', [field.split('.')[0]]),
      });
    } else if (readOnly.has(field.toLowerCase()) && granted(entry.editable)) {
      warnings.push(messages.getMessage('warning.readOnlyField', [field]));
      fields.push({ ...entry, editable: false });
    } else fields.push(entry);
  }
  if (omitted.length === 0 && warnings.length === 0) return { input, omitted, warnings };
  return { input: { ...input, sections: { ...input.sections, fieldPermissions: fields } }, omitted, warnings };
}
