/**
 * What each permission set section is, as one table of facts (in the manner of source-deploy-retrieve's metadata
 * registry): code branches on these facts instead of repeating them. The model, the XML schema order, the
 * conversion rules, the API-version fitting and the org reader all take what they need from here.
 *
 * Sections are the repeated children of the PermissionSet metadata type (Metadata API v66.0 PermissionSet schema,
 * alphabetical sequence). Versions come from Salesforce's metadata.wsdl of each release
 * (test/unit/permissions/element-versions.test.ts checks them against the reference data).
 */

/** Where the profile conversion sends a section's entries. */
export type Destination =
  /** the licensed (Salesforce API Integration) permission set */
  | 'licensed'
  /** valid in a permission set, not known to be carried by the permission set license: the companion set */
  | 'companion'
  /** user-interface access: omitted, or the companion set with --include-ui */
  | 'ui'
  /** decided permission by permission (license-rules.ts) */
  | 'per-permission';

/** How the org holds a section's entries as records (read by access-reader/read-permission-sets.ts). */
export type SObjectMapping = {
  /** the sObject whose rows hold the entries */
  sObject: string;
  /** the row's field naming the entry (the section's key) */
  keyField: string;
  /** section field → the row's boolean field */
  fields: Readonly<Record<string, string>>;
};

export type SectionFacts = {
  /** field identifying an entry within the section */
  key: string;
  /** every field, in the schema's sequence order */
  fields: readonly string[];
  /** fields a permission set may hold but the shared model leaves out unless a profile grants them */
  optionalFields?: readonly string[];
  /** boolean fields that grant access when true */
  grants: readonly string[];
  destination: Destination;
  /** first Metadata API version with this element, when newer than the oldest the plugin supports */
  since?: string;
  /** fields newer than the section, by first version */
  fieldSince?: Readonly<Record<string, string>>;
  /** for sections the org reader reads as rows of their own sObject */
  sObject?: SObjectMapping;
};

const enabled = (key: string, destination: Destination, since?: string): SectionFacts => ({
  key,
  fields: ['enabled', key].sort(),
  grants: ['enabled'],
  destination,
  ...(since ? { since } : {}),
});

export const SECTION_REGISTRY = {
  agentAccesses: enabled('agentName', 'licensed', '64.0'),
  applicationVisibilities: {
    key: 'application',
    fields: ['application', 'visible'],
    grants: ['visible'],
    destination: 'ui',
  },
  classAccesses: enabled('apexClass', 'licensed'),
  customMetadataTypeAccesses: enabled('name', 'licensed'),
  customPermissions: enabled('name', 'licensed'),
  customSettingAccesses: enabled('name', 'licensed'),
  emailRoutingAddressAccesses: enabled('name', 'companion', '62.0'),
  externalCredentialPrincipalAccesses: enabled('externalCredentialPrincipal', 'licensed', '59.0'),
  externalDataSourceAccesses: enabled('externalDataSource', 'licensed'),
  fieldPermissions: {
    key: 'field',
    fields: ['editable', 'field', 'readable'],
    grants: ['editable', 'readable'],
    destination: 'licensed',
    sObject: {
      sObject: 'FieldPermissions',
      keyField: 'Field',
      fields: { editable: 'PermissionsEdit', readable: 'PermissionsRead' },
    },
  },
  flowAccesses: enabled('flow', 'licensed'),
  genComputingSummaryDefAccesses: enabled('configName', 'companion', '66.0'),
  objectPermissions: {
    key: 'object',
    fields: [
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
    ],
    // setup-entity flags a profile may grant
    optionalFields: ['customizeSetup', 'deleteSetup', 'viewSetup'],
    grants: [
      'allowCreate',
      'allowDelete',
      'allowEdit',
      'allowRead',
      'modifyAllRecords',
      'viewAllFields',
      'viewAllRecords',
    ],
    destination: 'licensed',
    fieldSince: { viewAllFields: '63.0' },
    sObject: {
      sObject: 'ObjectPermissions',
      keyField: 'SobjectType',
      fields: {
        allowCreate: 'PermissionsCreate',
        allowDelete: 'PermissionsDelete',
        allowEdit: 'PermissionsEdit',
        allowRead: 'PermissionsRead',
        modifyAllRecords: 'PermissionsModifyAllRecords',
        viewAllFields: 'PermissionsViewAllFields',
        viewAllRecords: 'PermissionsViewAllRecords',
      },
    },
  },
  pageAccesses: enabled('apexPage', 'ui'),
  recordTypeVisibilities: {
    key: 'recordType',
    fields: ['recordType', 'visible'],
    grants: ['visible'],
    destination: 'licensed',
  },
  servicePresenceStatusAccesses: enabled('servicePresenceStatus', 'companion', '64.0'),
  // visibility: Visible | Available | None; "None" grants nothing
  tabSettings: { key: 'tab', fields: ['tab', 'visibility'], grants: [], destination: 'ui' },
  userPermissions: enabled('name', 'per-permission'),
} as const satisfies Record<string, SectionFacts>;

export type SectionName = keyof typeof SECTION_REGISTRY;

export const SECTION_NAMES = Object.keys(SECTION_REGISTRY) as SectionName[];

/** The facts of one section. */
export const sectionFacts = (name: SectionName): SectionFacts => SECTION_REGISTRY[name];

/** Sections going to one destination, in schema order. */
export const sectionsTo = (destination: Destination): SectionName[] =>
  SECTION_NAMES.filter((n) => sectionFacts(n).destination === destination).sort();
