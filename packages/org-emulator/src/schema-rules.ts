/**
 * What Salesforce's schema data (sobjects.json) does not say and the emulator still needs: key prefixes, which
 * objects the API may create/update/delete, read-only and required fields, describe types finer than the data's
 * (picklist, email, currency...), the targets of polymorphic lookups. Each table names its source; anything not
 * listed follows the defaults in schema-defs.ts (createable, updateable, nillable, permissionable).
 * Sources: the Salesforce Object Reference ("Supported Calls" and field "Properties" of each object:
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/), and for key
 * prefixes the first three characters of record Ids real orgs hand out (Salesforce Help "Standard Field Record ID
 * Prefix Decoder", https://help.salesforce.com/s/articleView?id=000385203). Unconfirmed entries are marked so in
 * docs/salesforce-behaviour.md.
 */

/** Key prefixes (Id's first 3 characters). Objects not listed get an emulator prefix starting with 'z' (none real). */
export const KEY_PREFIXES: Record<string, string> = {
  Account: '001',
  Note: '002',
  Contact: '003',
  User: '005',
  Opportunity: '006',
  Profile: '00e',
  UserRole: '00E',
  Organization: '00D',
  Group: '00G',
  Partner: '00I',
  OpportunityContactRole: '00K',
  OpportunityLineItem: '00k',
  Folder: '00l',
  Report: '00O',
  Attachment: '00P',
  Lead: '00Q',
  Task: '00T',
  Event: '00U',
  CampaignMember: '00v',
  CaseComment: '00a',
  GroupMember: '011',
  RecordType: '012',
  Document: '015',
  Pricebook2: '01s',
  Product2: '01t',
  PricebookEntry: '01u',
  ApexClass: '01p',
  PermissionSetTabSetting: '01P',
  FieldPermissions: '01k',
  Dashboard: '01Z',
  Asset: '02i',
  EmailMessage: '02s',
  PackageLicense: '050',
  UserPackageLicense: '051',
  ApexPage: '066',
  ContentVersion: '068',
  ContentDocument: '069',
  ContentDocumentLink: '06A',
  AccountContactRelation: '07k',
  Idea: '087',
  UserLicense: '100',
  ObjectPermissions: '110',
  Case: '500',
  Solution: '501',
  Entitlement: '550',
  Campaign: '701',
  Contract: '800',
  Order: '801',
  OrderItem: '802',
  ServiceContract: '810',
  AuthSession: '0Ak',
  CustomPermission: '0CP',
  OauthToken: '0CQ',
  AppMenuItem: '0DS',
  ConnectedApplication: '0H4',
  SetupEntityAccess: '0J0',
  PermissionSetGroupComponent: '0PC',
  PermissionSetGroup: '0PG',
  Individual: '0PK',
  PermissionSetLicense: '0PL',
  PermissionSetAssignment: '0Pa',
  PermissionSet: '0PS',
  Quote: '0Q0',
  QuoteLineItem: '0QL',
  MutingPermissionSet: '0QM',
  WorkOrder: '0WO',
  ExternalDataSource: '0XC',
  LoginHistory: '0Ya',
  PermissionSetLicenseAssign: '2LA',
  FlowDefinitionView: '3dd',
  EntityDefinition: '4ie',
  SourceMember: '0MZ',
  SandboxProcess: '0GR',
  UserLogin: '060',
  CronJobDetail: '08a',
  CronTrigger: '08e',
  AsyncApexJob: '707',
  EmailServicesAddress: '093',
  WorkflowOutboundMessage: '04k',
  ExtlClntAppOauthPlcyCnfg: '0xP',
  // REST API Developer Guide, 'Query event log files with REST': "/sobjects/EventLogFile/0ATD000000001bROAQ/LogFile"
  EventLogFile: '0AT',
};

/**
 * API access per object where it is not create/update/delete: read-only setup and audit objects (Object Reference,
 * "Supported Calls"). `delete`: delete is the only write (OauthToken, AuthSession: revoke a token, end a session);
 * `updateOnly`: no create or delete (UserLogin: freeze and unfreeze).
 */
export const OBJECT_ACCESS: Record<string, 'read' | 'delete' | 'noUpdate' | 'noDelete' | 'updateOnly'> = {
  Organization: 'read',
  UserLicense: 'read',
  PermissionSetLicense: 'read',
  LoginHistory: 'read',
  LoginIp: 'read',
  ApexClass: 'read',
  ApexPage: 'read',
  CustomPermission: 'read',
  ExternalDataSource: 'read',
  ConnectedApplication: 'read',
  AppMenuItem: 'read',
  EntityDefinition: 'read',
  FieldDefinition: 'read',
  FlowDefinitionView: 'read',
  TabDefinition: 'read',
  PackageLicense: 'read',
  ExternalClientApplication: 'read',
  ExtlClntAppOauthSettings: 'read',
  SourceMember: 'read',
  SandboxProcess: 'read',
  OauthToken: 'delete',
  AuthSession: 'delete',
  CronJobDetail: 'read',
  CronTrigger: 'read',
  AsyncApexJob: 'read',
  Dashboard: 'read',
  WorkflowOutboundMessage: 'read',
  ExtlClntAppOauthPlcyCnfg: 'read',
  UserLogin: 'updateOnly',
  // 'Log data is read only … However, you can delete event log files' (only with Delete event monitoring data): read here
  EventLogFile: 'read',
  PermissionSetLicenseAssign: 'noUpdate',
  PermissionSetAssignment: 'noUpdate',
  GroupMember: 'noUpdate',
  UserPackageLicense: 'noUpdate',
  User: 'noDelete',
};

/** Fields Salesforce manages on every record: read-only and never permissionable. */
export const SYSTEM_FIELDS = new Set([
  'id',
  'createddate',
  'createdbyid',
  'lastmodifieddate',
  'lastmodifiedbyid',
  'systemmodstamp',
  'isdeleted',
  'lastvieweddate',
  'lastreferenceddate',
  'lastactivitydate',
]);

/** OwnerId is writable (record transfer) but never permissionable. */
export const NOT_PERMISSIONABLE = new Set(['ownerid']);

/** Read-only fields beyond the system fields (Object Reference: no Create/Update property), by object. */
export const READ_ONLY_FIELDS: Record<string, string[]> = {
  User: ['Name', 'UserType', 'LastLoginDate', 'LastPasswordChangeDate', 'FullPhotoUrl', 'SmallPhotoUrl'],
  Contact: ['Name'],
  Lead: ['Name', 'IsConverted', 'ConvertedAccountId', 'ConvertedContactId', 'ConvertedOpportunityId', 'ConvertedDate'],
  Profile: ['UserType'],
  PermissionSet: ['IsOwnedByProfile', 'ProfileId', 'NamespacePrefix', 'IsCustom', 'Type', 'PermissionSetGroupId'],
  PermissionSetGroup: ['Status', 'NamespacePrefix'],
  SetupEntityAccess: ['SetupEntityType'],
  UserRole: ['PortalType'],
  Opportunity: ['IsClosed', 'IsWon'],
  Case: ['CaseNumber', 'IsClosed'],
  PermissionSetAssignment: ['IsActive'],
  UserLogin: ['UserId'],
};

/** Fields a create must give (Object Reference: not nillable, not defaulted on create), by object. */
export const REQUIRED_ON_CREATE: Record<string, string[]> = {
  User: [
    'Username',
    'LastName',
    'Email',
    'Alias',
    'TimeZoneSidKey',
    'LocaleSidKey',
    'EmailEncodingKey',
    'LanguageLocaleKey',
    'ProfileId',
  ],
  Account: ['Name'],
  Contact: ['LastName'],
  Lead: ['LastName', 'Company'],
  Opportunity: ['Name', 'StageName', 'CloseDate'],
  Campaign: ['Name'],
  CampaignMember: ['CampaignId'],
  PermissionSet: ['Name', 'Label'],
  PermissionSetGroup: ['DeveloperName', 'MasterLabel'],
  PermissionSetAssignment: ['AssigneeId'],
  PermissionSetLicenseAssign: ['AssigneeId', 'PermissionSetLicenseId'],
  ObjectPermissions: ['ParentId', 'SobjectType'],
  FieldPermissions: ['ParentId', 'SobjectType', 'Field'],
  UserRole: ['Name'],
};

/**
 * Required fields of the objects field-level security applies to: describe says permissionable=false for them,
 * and a profile or permission set naming one fails to deploy ("You cannot deploy to a required field").
 */
export const REQUIRED_STANDARD_FIELDS: Record<string, string[]> = {
  User: REQUIRED_ON_CREATE.User,
  Account: ['Name'],
  Contact: ['LastName'],
  Lead: ['LastName', 'Company'],
  Opportunity: ['Name', 'StageName', 'CloseDate'],
  Campaign: ['Name'],
};

/** Compound name fields computed from FirstName and LastName: calculated, not permissionable (their parts are). */
export const FULL_NAME_OBJECTS = ['User', 'Contact', 'Lead'];

/** Describe types finer than the data's String/Decimal (Object Reference field types). */
export const TYPE_REFINEMENTS: Record<string, string> = {
  'User.Username': 'email',
  'User.Email': 'email',
  'Contact.Email': 'email',
  'Lead.Email': 'email',
  'User.TimeZoneSidKey': 'picklist',
  'User.LocaleSidKey': 'picklist',
  'User.EmailEncodingKey': 'picklist',
  'User.LanguageLocaleKey': 'picklist',
  'User.UserType': 'picklist',
  'Profile.UserType': 'picklist',
  'UserLicense.Status': 'picklist',
  'PermissionSetLicense.Status': 'picklist',
  'PermissionSet.Type': 'picklist',
  'PermissionSetGroup.Status': 'picklist',
  'ObjectPermissions.SobjectType': 'picklist',
  'FieldPermissions.SobjectType': 'picklist',
  'SetupEntityAccess.SetupEntityType': 'picklist',
  'PermissionSetTabSetting.Visibility': 'picklist',
  'UserRole.PortalType': 'picklist',
  'LoginHistory.LoginType': 'picklist',
  'Account.Industry': 'picklist',
  'Account.Type': 'picklist',
  'Account.Rating': 'picklist',
  'Account.AccountSource': 'picklist',
  'Account.AnnualRevenue': 'currency',
  'Opportunity.Amount': 'currency',
  'Opportunity.ExpectedRevenue': 'currency',
  'Opportunity.StageName': 'picklist',
  'Opportunity.Type': 'picklist',
  'Opportunity.LeadSource': 'picklist',
  'Lead.Status': 'picklist',
  'Lead.LeadSource': 'picklist',
  'Lead.Industry': 'picklist',
  'Lead.Rating': 'picklist',
  'Lead.AnnualRevenue': 'currency',
  'Contact.LeadSource': 'picklist',
  'Case.Status': 'picklist',
  'Case.Priority': 'picklist',
  'Case.Origin': 'picklist',
  'Case.Reason': 'picklist',
  'Case.Type': 'picklist',
  'Campaign.Type': 'picklist',
  'Campaign.Status': 'picklist',
  'Campaign.BudgetedCost': 'currency',
  'Campaign.ActualCost': 'currency',
  'Campaign.ExpectedRevenue': 'currency',
  'CampaignMember.Status': 'picklist',
  'Task.Status': 'picklist',
  'Task.Priority': 'picklist',
  'Product2.Family': 'picklist',
  'PricebookEntry.UnitPrice': 'currency',
  'OpportunityLineItem.UnitPrice': 'currency',
  'OpportunityLineItem.TotalPrice': 'currency',
  'OrderItem.UnitPrice': 'currency',
  'Order.Status': 'picklist',
  'Contract.Status': 'picklist',
};

/**
 * Targets of polymorphic lookups (the data names them 'Name' or 'SObject'), by relationship name. '*': any object
 * (the emulator then offers only the fields every object shares: Id, Name). Object Reference, each field's
 * "Refers To".
 */
export const POLYMORPHIC_TARGETS: Record<string, string[]> = {
  'PermissionSet.License': ['UserLicense', 'PermissionSetLicense'],
  'CampaignMember.LeadOrContact': ['Lead', 'Contact'],
  'CampaignMember.LeadOrContactOwner': ['User', 'Group'],
  Owner: ['User', 'Group'],
  Who: ['Contact', 'Lead'],
  What: [
    'Account',
    'Opportunity',
    'Campaign',
    'Case',
    'Contract',
    'Order',
    'Asset',
    'Product2',
    'Quote',
    'WorkOrder',
    'Solution',
  ],
};

/** The first tag of the data (v55.0.0) misses fields every org had long before; 56.0 is its first complete one. */
export const BASELINE_VERSION = 56;
