import { SECTION_NAMES, SECTION_REGISTRY, type SectionName } from './registry.js';

/**
 * Field order of PermissionSetObjectPermissions in the Metadata API schema: the shared model's fields plus the
 * optional setup-entity flags (customizeSetup, deleteSetup, viewSetup) a profile may grant.
 */
export const OBJECT_PERMISSION_FIELDS = SECTION_REGISTRY.objectPermissions.fields;

/** Fields of each permission set section in schema order, as the XML writer emits them. */
export const SECTION_FIELD_ORDER: Readonly<Record<SectionName, readonly string[]>> = Object.fromEntries(
  SECTION_NAMES.map((name) => [name, SECTION_REGISTRY[name].fields]),
) as Record<SectionName, readonly string[]>;

/** Single-valued PermissionSet elements (besides the repeated sections). */
export const PERMISSION_SET_SCALARS = ['description', 'hasActivationRequired', 'label', 'license'] as const;

/**
 * Every top-level PermissionSet element this project writes, in schema order (the schema's sequence is
 * alphabetical; code-unit comparison keeps it locale-independent).
 */
export const PERMISSION_SET_ELEMENT_ORDER: readonly string[] = [...SECTION_NAMES, ...PERMISSION_SET_SCALARS].sort(
  (a, b) => (a < b ? -1 : a > b ? 1 : 0),
);
