/**
 * The sObject schema an emulated org knows: standard objects with their common fields, plus the seed's
 * custom objects and fields. Field names keep Salesforce's spelling; lookups are case-insensitive.
 */
import { USER_PERMISSIONS } from './user-permissions.js';
import { RETIRE_SPECS, adjustRetireObjects } from './retire-objects.js';

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'picklist'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'date'
  | 'datetime'
  | 'reference';

export type FieldDef = {
  name: string;
  type: FieldType;
  label: string;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  /**
   * whether field-level security applies (describe `permissionable`): false for required fields (the object's
   * access grants them) and system fields, which permission sets and profiles can't name
   */
  permissionable: boolean;
  /** required on create: a standard required field, a custom field seeded required, a master-detail field */
  required?: boolean;
  /** a formula field (describe `calculated`): readable, never createable or updateable */
  formula?: boolean;
  referenceTo?: string[];
  relationshipName?: string;
  /** computed on read (e.g. User.Name), never stored */
  computed?: (rec: Record<string, unknown>) => unknown;
};

export type ChildRelationship = { relationshipName: string; childSObject: string; field: string };

export type ObjectDef = {
  name: string;
  label: string;
  keyPrefix: string;
  custom: boolean;
  tooling?: boolean;
  /** only on the tooling endpoint */
  toolingOnly?: boolean;
  fields: Map<string, FieldDef>; // lower-case name -> def
  relationships: Map<string, FieldDef>; // lower-case relationship name -> reference field
  children: Map<string, ChildRelationship>;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
};

type FieldSpec = string; // "Name:type[:Target[/RelName]][!]" ; '!' = read-only

function labelOf(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/_/g, ' ')
    .replace(/Id$/, ' ID')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
}

function parseSpec(spec: FieldSpec): FieldDef {
  const readOnly = spec.endsWith('!');
  const [name, type = 'string', target] = (readOnly ? spec.slice(0, -1) : spec).split(':');
  const def: FieldDef = {
    name,
    type: type as FieldType,
    label: labelOf(name),
    custom: name.endsWith('__c'),
    createable: !readOnly && type !== 'id',
    updateable: !readOnly && type !== 'id',
    nillable: type !== 'boolean' && type !== 'id',
    permissionable: type !== 'id',
  };
  if (type === 'reference' && target) {
    const [targets, rel] = target.split('/');
    def.referenceTo = targets.split('|');
    def.relationshipName = rel ?? (name.endsWith('__c') ? name.replace(/__c$/, '__r') : name.replace(/Id$/, ''));
  }
  return def;
}

const AUDIT = [
  'CreatedDate:datetime!',
  'CreatedById:reference:User/CreatedBy!',
  'LastModifiedDate:datetime!',
  'LastModifiedById:reference:User/LastModifiedBy!',
  'SystemModstamp:datetime!',
];

/** Fields Salesforce manages on every record: never permissionable. */
const SYSTEM_FIELDS = new Set(['id', 'createddate', 'createdbyid', 'lastmodifieddate', 'lastmodifiedbyid', 'systemmodstamp', 'isdeleted', 'ownerid']);

/** Required standard fields of the objects field-level security applies to (as the DML rules require them). */
export const REQUIRED_STANDARD_FIELDS: Record<string, string[]> = {
  User: ['Username', 'LastName', 'Email', 'Alias', 'TimeZoneSidKey', 'LocaleSidKey', 'EmailEncodingKey', 'LanguageLocaleKey', 'ProfileId'],
  Account: ['Name'],
  Contact: ['LastName'],
  Lead: ['LastName', 'Company'],
  Opportunity: ['Name', 'StageName', 'CloseDate'],
  Campaign: ['Name'],
};

export const OBJECT_PERMISSION_FIELDS = [
  'PermissionsCreate',
  'PermissionsRead',
  'PermissionsEdit',
  'PermissionsDelete',
  'PermissionsViewAllRecords',
  'PermissionsModifyAllRecords',
  'PermissionsViewAllFields',
] as const;

export type StdSpec = { prefix: string; label?: string; fields: FieldSpec[]; audit?: boolean; tooling?: boolean; toolingOnly?: boolean; readOnly?: boolean; noDelete?: boolean; noUpdate?: boolean };

function standardSpecs(userPermissions: readonly string[]): Record<string, StdSpec> {
  const perms = userPermissions.map((p) => `Permissions${p}:boolean`);
  return {
    Organization: {
      prefix: '00D',
      readOnly: true,
      fields: ['Name', 'InstanceName', 'IsSandbox:boolean', 'TrialExpirationDate:datetime', 'NamespacePrefix', 'OrganizationType', 'Division', 'Country', 'LanguageLocaleKey', 'DefaultLocaleSidKey', 'TimeZoneSidKey'],
    },
    User: {
      prefix: '005',
      noDelete: true,
      fields: [
        'Username:email', 'LastName', 'FirstName', 'Name!', 'Email:email', 'Alias', 'CommunityNickname', 'Title', 'Department',
        'ProfileId:reference:Profile', 'UserRoleId:reference:UserRole', 'TimeZoneSidKey:picklist', 'LocaleSidKey:picklist',
        'EmailEncodingKey:picklist', 'LanguageLocaleKey:picklist', 'IsActive:boolean', 'UserType:picklist!',
        'UserPermissionsMarketingUser:boolean', 'LastLoginDate:datetime!', 'FederationIdentifier', 'ManagerId:reference:User/Manager',
      ],
    },
    Profile: {
      prefix: '00e',
      fields: ['Name', 'Description:textarea', 'UserLicenseId:reference:UserLicense', 'UserType:picklist!', ...perms],
    },
    UserLicense: {
      prefix: '100',
      readOnly: true,
      fields: ['Name', 'MasterLabel', 'LicenseDefinitionKey', 'Status:picklist', 'TotalLicenses:int', 'UsedLicenses:int', 'UsedLicensesLastUpdated:datetime'],
    },
    PermissionSetLicense: {
      prefix: '0PL',
      readOnly: true,
      fields: ['DeveloperName', 'MasterLabel', 'Language', 'PermissionSetLicenseKey', 'Status:picklist', 'TotalLicenses:int', 'UsedLicenses:int', 'ExpirationDate:date', 'IsAvailableForIntegrations:boolean',
        ...userPermissions.map((p) => `MaximumPermissions${p}:boolean`)],
    },
    PermissionSetLicenseAssign: {
      prefix: '2LA',
      noUpdate: true,
      fields: ['AssigneeId:reference:User', 'PermissionSetLicenseId:reference:PermissionSetLicense'],
    },
    PermissionSet: {
      prefix: '0PS',
      fields: ['Name', 'Label', 'Description:textarea', 'LicenseId:reference:UserLicense|PermissionSetLicense/License', 'IsOwnedByProfile:boolean!',
        'ProfileId:reference:Profile!', 'NamespacePrefix!', 'IsCustom:boolean!', 'HasActivationRequired:boolean', 'Type:picklist!', 'PermissionSetGroupId:reference:PermissionSetGroup!', ...perms],
    },
    PermissionSetGroup: { prefix: '0PG', fields: ['DeveloperName', 'MasterLabel', 'Description:textarea', 'Status:picklist!', 'NamespacePrefix!'] },
    PermissionSetGroupComponent: {
      prefix: '0PC',
      fields: ['PermissionSetGroupId:reference:PermissionSetGroup', 'PermissionSetId:reference:PermissionSet'],
    },
    // a group's muting set is its own sObject (API 46.0+), not a PermissionSet row; its ObjectPermissions /
    // FieldPermissions rows carry its Id in ParentId, and a PermissionSetGroupComponent names it in PermissionSetId
    MutingPermissionSet: { prefix: '0QM', fields: ['DeveloperName', 'MasterLabel', 'Language', 'NamespacePrefix!', ...perms] },
    PermissionSetTabSetting: {
      prefix: '01P',
      fields: ['ParentId:reference:PermissionSet', 'Name', 'Visibility:picklist'],
    },
    // setup entities a SetupEntityAccess row points to (SetupEntityId), by SetupEntityType
    ApexClass: { prefix: '01p', readOnly: true, fields: ['Name', 'NamespacePrefix', 'Status:picklist', 'ApiVersion:double'] },
    ApexPage: { prefix: '066', readOnly: true, fields: ['Name', 'NamespacePrefix', 'MasterLabel'] },
    CustomPermission: { prefix: '0CP', readOnly: true, fields: ['DeveloperName', 'NamespacePrefix', 'MasterLabel'] },
    ExternalDataSource: { prefix: '0XC', readOnly: true, fields: ['DeveloperName', 'NamespacePrefix', 'MasterLabel', 'Type:picklist'] },
    ConnectedApplication: { prefix: '0H4', readOnly: true, fields: ['Name', 'NamespacePrefix'] },
    AppMenuItem: { prefix: '0DS', readOnly: true, audit: false, fields: ['ApplicationId', 'Name', 'NamespacePrefix', 'Label', 'Type'] },
    // DurableId: the 15-character Id of the custom entity (01I) or flow definition (300)
    EntityDefinition: { prefix: '4ie', readOnly: true, audit: false, fields: ['DurableId', 'QualifiedApiName', 'DeveloperName', 'NamespacePrefix', 'IsCustomSetting:boolean'] },
    FlowDefinitionView: { prefix: '3dd', readOnly: true, audit: false, fields: ['DurableId', 'ApiName', 'NamespacePrefix', 'Label', 'IsActive:boolean'] },
    PermissionSetAssignment: {
      prefix: '0Pa',
      noUpdate: true,
      fields: ['AssigneeId:reference:User', 'PermissionSetId:reference:PermissionSet', 'PermissionSetGroupId:reference:PermissionSetGroup', 'IsActive:boolean!', 'ExpirationDate:datetime'],
    },
    ObjectPermissions: {
      prefix: '110',
      fields: ['ParentId:reference:PermissionSet', 'SobjectType:picklist', ...OBJECT_PERMISSION_FIELDS.map((f) => `${f}:boolean`)],
    },
    FieldPermissions: {
      prefix: '01k',
      fields: ['ParentId:reference:PermissionSet', 'SobjectType:picklist', 'Field', 'PermissionsRead:boolean', 'PermissionsEdit:boolean'],
    },
    SetupEntityAccess: {
      prefix: '0J0',
      fields: ['ParentId:reference:PermissionSet', 'SetupEntityId:string', 'SetupEntityType:picklist!'],
    },
    UserRole: {
      prefix: '00E',
      fields: ['Name', 'DeveloperName', 'ParentRoleId:reference:UserRole', 'RollupDescription', 'PortalType:picklist!'],
    },
    LoginHistory: {
      prefix: '0Ya',
      readOnly: true,
      audit: false,
      fields: ['UserId:reference:User', 'LoginTime:datetime', 'LoginType:picklist', 'LoginSubType:picklist', 'Application', 'ApiType', 'ApiVersion',
        'SourceIp', 'Status', 'Platform', 'Browser', 'LoginUrl', 'AuthenticationServiceId', 'ClientVersion', 'CountryIso', 'TlsProtocol', 'CipherSuite', 'LoginGeoId'],
    },
    OauthToken: {
      prefix: '0CQ',
      readOnly: true,
      audit: false,
      fields: ['AppName', 'UserId:reference:User', 'LastUsedDate:datetime', 'UseCount:int', 'CreatedDate:datetime', 'AppMenuItemId', 'RequestToken', 'AccessToken', 'DeleteToken'],
    },
    Account: {
      prefix: '001',
      fields: ['Name', 'AccountNumber', 'AccountSource:picklist', 'AnnualRevenue:currency', 'BillingCity', 'BillingCountry', 'BillingPostalCode', 'BillingState', 'BillingStreet', 'Description:textarea',
        'Fax', 'Industry:picklist', 'NumberOfEmployees:int', 'OwnerId:reference:User/Owner', 'ParentId:reference:Account/Parent', 'Phone', 'Rating:picklist', 'ShippingCity', 'ShippingCountry', 'Site', 'Type:picklist', 'Website'],
    },
    Contact: {
      prefix: '003',
      fields: ['FirstName', 'LastName', 'Name!', 'AccountId:reference:Account', 'Email:email', 'Phone', 'MobilePhone', 'Title', 'Department', 'Birthdate:date', 'Description:textarea',
        'LeadSource:picklist', 'MailingCity', 'MailingCountry', 'MailingStreet', 'OwnerId:reference:User/Owner', 'ReportsToId:reference:Contact/ReportsTo'],
    },
    Lead: {
      prefix: '00Q',
      fields: ['FirstName', 'LastName', 'Name!', 'Company', 'Email:email', 'Phone', 'Status:picklist', 'LeadSource:picklist', 'Industry:picklist', 'Rating:picklist', 'Title',
        'IsConverted:boolean!', 'ConvertedAccountId:reference:Account/ConvertedAccount!', 'OwnerId:reference:User/Owner'],
    },
    Opportunity: {
      prefix: '006',
      fields: ['Name', 'AccountId:reference:Account', 'Amount:currency', 'CloseDate:date', 'StageName:picklist', 'Probability:double', 'Type:picklist', 'LeadSource:picklist',
        'Description:textarea', 'IsClosed:boolean!', 'IsWon:boolean!', 'NextStep', 'OwnerId:reference:User/Owner', 'CampaignId:reference:Campaign'],
    },
    Case: {
      prefix: '500',
      fields: ['CaseNumber!', 'Subject', 'Description:textarea', 'Status:picklist', 'Priority:picklist', 'Origin:picklist', 'Reason:picklist', 'Type:picklist',
        'AccountId:reference:Account', 'ContactId:reference:Contact', 'IsClosed:boolean!', 'OwnerId:reference:User/Owner'],
    },
    Campaign: {
      prefix: '701',
      fields: ['Name', 'Type:picklist', 'Status:picklist', 'StartDate:date', 'EndDate:date', 'IsActive:boolean', 'BudgetedCost:currency', 'ActualCost:currency', 'Description:textarea',
        'ParentId:reference:Campaign/Parent', 'OwnerId:reference:User/Owner'],
    },
    SourceMember: {
      prefix: '0MZ',
      tooling: true,
      toolingOnly: true,
      readOnly: true,
      audit: false,
      fields: ['MemberIdOrName', 'MemberType', 'MemberName', 'IsNameObsolete:boolean', 'RevisionCounter:int', 'RevisionNum:int', 'IsNewMember:boolean', 'ChangedBy', 'LastModifiedDate:datetime'],
    },
    SandboxProcess: {
      prefix: '0GR',
      tooling: true,
      toolingOnly: true,
      readOnly: true,
      fields: ['Status', 'SandboxName', 'SandboxInfoId', 'LicenseType', 'CopyProgress:int', 'SandboxOrganization', 'SourceId', 'Description', 'EndDate:datetime', 'Features'],
    },
    ...RETIRE_SPECS,
  };
}

export type CustomObjectSeed = { name: string; label?: string; fields?: CustomFieldSeed[] };
export type CustomFieldSeed = {
  name: string;
  type?: FieldType;
  label?: string;
  referenceTo?: string;
  relationshipName?: string;
  /** required on create (not nillable): not permissionable */
  required?: boolean;
  /** a formula field: calculated, read-only */
  formula?: boolean;
  /** a master-detail field (type reference) on the child: required, not permissionable */
  masterDetail?: boolean;
};

const CHILDREN: Array<[string, string, string, string]> = [
  // parent, relationshipName, child, field
  ['PermissionSet', 'Assignments', 'PermissionSetAssignment', 'PermissionSetId'],
  ['PermissionSet', 'ObjectPerms', 'ObjectPermissions', 'ParentId'],
  ['PermissionSet', 'FieldPerms', 'FieldPermissions', 'ParentId'],
  ['PermissionSet', 'SetupEntityAccessItems', 'SetupEntityAccess', 'ParentId'],
  ['PermissionSetGroup', 'PermissionSetGroupComponents', 'PermissionSetGroupComponent', 'PermissionSetGroupId'],
  ['User', 'PermissionSetAssignments', 'PermissionSetAssignment', 'AssigneeId'],
  ['User', 'PermissionSetLicenseAssignments', 'PermissionSetLicenseAssign', 'AssigneeId'],
  ['Profile', 'Users', 'User', 'ProfileId'],
  ['Account', 'Contacts', 'Contact', 'AccountId'],
  ['Account', 'Opportunities', 'Opportunity', 'AccountId'],
  ['Account', 'Cases', 'Case', 'AccountId'],
];

export class Schema {
  public readonly objects = new Map<string, ObjectDef>();
  private readonly byPrefix = new Map<string, ObjectDef>();
  private customPrefixCounter = 0;

  public constructor(public readonly userPermissions: readonly string[] = USER_PERMISSIONS) {
    for (const [name, spec] of Object.entries(standardSpecs(userPermissions))) {
      const fieldSpecs = ['Id:id', ...spec.fields, ...(spec.audit === false || spec.readOnly ? [] : AUDIT)];
      this.addObject(name, spec.label ?? labelOf(name), spec.prefix, false, fieldSpecs.map(parseSpec), spec);
    }
    this.objects.get('user')!.fields.get('name')!.computed = fullName;
    this.objects.get('contact')!.fields.get('name')!.computed = fullName;
    this.objects.get('lead')!.fields.get('name')!.computed = fullName;
    for (const [object, names] of Object.entries(REQUIRED_STANDARD_FIELDS)) {
      for (const n of names) markRequired(this.objects.get(object.toLowerCase())!.fields.get(n.toLowerCase())!);
    }
    // compound name fields: their parts carry the field-level security
    for (const o of ['user', 'contact', 'lead']) this.objects.get(o)!.fields.get('name')!.permissionable = false;
    adjustRetireObjects((n) => this.get(n));
    for (const [parent, rel, child, field] of CHILDREN) {
      this.objects.get(parent.toLowerCase())!.children.set(rel.toLowerCase(), { relationshipName: rel, childSObject: child, field });
    }
  }

  public get(name: string): ObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }

  public byKeyPrefix(id: string): ObjectDef | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }

  public addCustomObject(seed: CustomObjectSeed): ObjectDef {
    const existing = this.get(seed.name);
    if (existing) {
      for (const f of seed.fields ?? []) this.addCustomField(existing.name, f);
      return existing;
    }
    this.customPrefixCounter += 1;
    const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    const prefix = `a${B62[Math.floor(this.customPrefixCounter / 62) % 62]}${B62[this.customPrefixCounter % 62]}`;
    const def = this.addObject(seed.name, seed.label ?? labelOf(seed.name), prefix, seed.name.endsWith('__c'), ['Id:id', 'Name', 'OwnerId:reference:User/Owner', ...AUDIT].map(parseSpec), {});
    markRequired(def.fields.get('name')!);
    for (const f of seed.fields ?? []) this.addCustomField(def.name, f);
    return def;
  }

  public addCustomField(objectName: string, seed: CustomFieldSeed): FieldDef {
    const obj = this.get(objectName);
    if (!obj) throw new Error(`unknown object ${objectName}`);
    const type = seed.type ?? 'string';
    const def: FieldDef = {
      name: seed.name,
      type,
      label: seed.label ?? labelOf(seed.name),
      custom: seed.name.endsWith('__c'),
      createable: !seed.formula,
      updateable: !seed.formula,
      nillable: type !== 'boolean',
      permissionable: true,
    };
    if (seed.formula) def.formula = true;
    else if (seed.required || seed.masterDetail) markRequired(def);
    if (type === 'reference') {
      def.referenceTo = [seed.referenceTo ?? 'Account'];
      def.relationshipName = seed.relationshipName ?? seed.name.replace(/__c$/, '__r');
      obj.relationships.set(def.relationshipName.toLowerCase(), def);
    }
    obj.fields.set(seed.name.toLowerCase(), def);
    return def;
  }

  private addObject(name: string, label: string, keyPrefix: string, custom: boolean, fields: FieldDef[], spec: Partial<StdSpec>): ObjectDef {
    const def: ObjectDef = {
      name,
      label,
      keyPrefix,
      custom,
      tooling: spec.tooling,
      toolingOnly: spec.toolingOnly,
      fields: new Map(),
      relationships: new Map(),
      children: new Map(),
      createable: !spec.readOnly,
      updateable: !spec.readOnly && !spec.noUpdate,
      deletable: !spec.readOnly && !spec.noDelete,
    };
    for (const f of fields) {
      if (SYSTEM_FIELDS.has(f.name.toLowerCase())) f.permissionable = false;
      if (spec.readOnly) {
        f.createable = false;
        f.updateable = false;
      }
      if (spec.noUpdate) f.updateable = false;
      def.fields.set(f.name.toLowerCase(), f);
      if (f.relationshipName) def.relationships.set(f.relationshipName.toLowerCase(), f);
    }
    this.objects.set(name.toLowerCase(), def);
    this.byPrefix.set(keyPrefix, def);
    return def;
  }
}

function markRequired(f: FieldDef): void {
  f.required = true;
  f.nillable = false;
  f.permissionable = false;
}

function fullName(rec: Record<string, unknown>): string {
  return [rec.FirstName, rec.LastName].filter((v) => typeof v === 'string' && v).join(' ');
}
