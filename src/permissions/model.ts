/**
 * The permission model shared by every command: a permission set's content in Metadata API terms.
 *
 * Sections are the repeated children of the PermissionSet metadata type (Metadata API v66.0,
 * ../shared/reference/schema/metadata_v66_profile_permissionset_types.xsd). Each entry is a flat record
 * of the section's fields; `key` names the field that identifies the entry, `fields` lists every field
 * in schema order (the Metadata API rejects elements out of order), `grants` the boolean fields whose
 * `true` grants something (an entry whose grants are all false grants nothing).
 */

export type EntryValue = string | boolean;
export type Entry = Record<string, EntryValue>;

export type SectionSpec = {
  /** field identifying an entry within the section */
  key: string;
  /** all fields, in the schema's sequence order */
  fields: readonly string[];
  /** boolean fields that grant access when true */
  grants: readonly string[];
};

export const PERMISSION_SET_SECTIONS = {
  agentAccesses: { key: 'agentName', fields: ['agentName', 'enabled'], grants: ['enabled'] },
  applicationVisibilities: { key: 'application', fields: ['application', 'visible'], grants: ['visible'] },
  classAccesses: { key: 'apexClass', fields: ['apexClass', 'enabled'], grants: ['enabled'] },
  customMetadataTypeAccesses: { key: 'name', fields: ['enabled', 'name'], grants: ['enabled'] },
  customPermissions: { key: 'name', fields: ['enabled', 'name'], grants: ['enabled'] },
  customSettingAccesses: { key: 'name', fields: ['enabled', 'name'], grants: ['enabled'] },
  emailRoutingAddressAccesses: { key: 'name', fields: ['enabled', 'name'], grants: ['enabled'] },
  externalCredentialPrincipalAccesses: {
    key: 'externalCredentialPrincipal',
    fields: ['enabled', 'externalCredentialPrincipal'],
    grants: ['enabled'],
  },
  externalDataSourceAccesses: {
    key: 'externalDataSource',
    fields: ['enabled', 'externalDataSource'],
    grants: ['enabled'],
  },
  fieldPermissions: { key: 'field', fields: ['editable', 'field', 'readable'], grants: ['editable', 'readable'] },
  flowAccesses: { key: 'flow', fields: ['enabled', 'flow'], grants: ['enabled'] },
  genComputingSummaryDefAccesses: { key: 'configName', fields: ['configName', 'enabled'], grants: ['enabled'] },
  objectPermissions: {
    key: 'object',
    fields: [
      'allowCreate',
      'allowDelete',
      'allowEdit',
      'allowRead',
      'modifyAllRecords',
      'object',
      'viewAllFields',
      'viewAllRecords',
    ],
    grants: ['allowCreate', 'allowDelete', 'allowEdit', 'allowRead', 'modifyAllRecords', 'viewAllFields', 'viewAllRecords'],
  },
  pageAccesses: { key: 'apexPage', fields: ['apexPage', 'enabled'], grants: ['enabled'] },
  recordTypeVisibilities: { key: 'recordType', fields: ['recordType', 'visible'], grants: ['visible'] },
  servicePresenceStatusAccesses: {
    key: 'servicePresenceStatus',
    fields: ['enabled', 'servicePresenceStatus'],
    grants: ['enabled'],
  },
  // visibility: Visible | Available | None; "None" grants nothing
  tabSettings: { key: 'tab', fields: ['tab', 'visibility'], grants: [] },
  userPermissions: { key: 'name', fields: ['enabled', 'name'], grants: ['enabled'] },
} as const satisfies Record<string, SectionSpec>;

export type SectionName = keyof typeof PERMISSION_SET_SECTIONS;

/** Section names in schema order (the PermissionSet sequence is alphabetical). */
export const SECTION_ORDER = Object.keys(PERMISSION_SET_SECTIONS).sort() as SectionName[];

/** A permission set's content. `license` undefined means no license (a companion set). */
export type PermissionSetDoc = {
  fullName: string;
  label: string;
  description?: string;
  license?: string;
  hasActivationRequired?: boolean;
  sections: Partial<Record<SectionName, Entry[]>>;
};

/** The API name of the Salesforce API Integration permission set license, as Salesforce writes it in `<license>`. */
export const INTEGRATION_PSL = 'SalesforceAPIIntegrationPsl';
export const INTEGRATION_PSL_LABEL = 'Salesforce API Integration';
export const INTEGRATION_USER_LICENSE = 'Salesforce Integration';
export const INTEGRATION_PROFILE = 'Minimum Access - API Only Integrations';
export const LEGACY_INTEGRATION_PROFILE = 'Salesforce API Only System Integrations';
