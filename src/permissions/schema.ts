import { PERMISSION_SET_SECTIONS, type SectionName } from './model.js';

/**
 * Field order of PermissionSetObjectPermissions in the Metadata API v66 schema: the shared model's fields plus the
 * optional setup-entity flags (customizeSetup, deleteSetup, viewSetup) a profile may grant.
 */
export const OBJECT_PERMISSION_FIELDS = [
  'allowCreate',
  'allowDelete',
  'allowEdit',
  'allowRead',
  'customizeSetup',
  'deleteSetup',
  'modifyAllRecords',
  'object',
  'viewAllFields',
  'viewAllRecords',
  'viewSetup',
] as const;

/** Fields of each permission set section in schema order, as the XML writer emits them. */
export const SECTION_FIELD_ORDER: Readonly<Record<SectionName, readonly string[]>> = fieldOrder();

function fieldOrder(): Record<SectionName, readonly string[]> {
  const order = {} as Record<SectionName, readonly string[]>;
  for (const name of Object.keys(PERMISSION_SET_SECTIONS) as SectionName[]) {
    order[name] = name === 'objectPermissions' ? OBJECT_PERMISSION_FIELDS : PERMISSION_SET_SECTIONS[name].fields;
  }
  return order;
}

/** Single-valued PermissionSet elements (besides the repeated sections). */
export const PERMISSION_SET_SCALARS = ['description', 'hasActivationRequired', 'label', 'license'] as const;

/**
 * Every top-level PermissionSet element this project writes, in schema order (the schema's sequence is
 * alphabetical; code-unit comparison keeps it locale-independent).
 */
export const PERMISSION_SET_ELEMENT_ORDER: readonly string[] = [...Object.keys(PERMISSION_SET_SECTIONS), ...PERMISSION_SET_SCALARS].sort(
  (a, b) => (a < b ? -1 : a > b ? 1 : 0)
);
