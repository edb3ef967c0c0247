/**
 * A realistic, deterministic org for tests and the benchmark: an admin-like profile with hundreds of objects and
 * thousands of fields (generated as profile metadata, so the emulator stores it as Salesforce does: records of the
 * profile's own permission set), several permission sets, and a permission set group with a muting set.
 *
 * `grants` is the same access written as plain data, so tests compute the expected effective access without the
 * code under test.
 */
import type { EmulatorSeed } from '@sf-integration-user/org-emulator';
import type { PermissionSetGroupSeed } from '@sf-integration-user/org-emulator';

export type Grants = {
  userPermissions: string[];
  /** object -> rights */
  objects: Record<string, ObjectRights>;
  /** Object.Field -> [readable, editable] */
  fields: Record<string, [boolean, boolean]>;
  /** section -> names (classAccesses, pageAccesses, customPermissions, customMetadataTypeAccesses, ...) */
  other: Record<string, string[]>;
  /** tab -> Visible | Available */
  tabs: Record<string, 'Visible' | 'Available'>;
};
export type ObjectRights = {
  allowCreate: boolean;
  allowDelete: boolean;
  allowEdit: boolean;
  allowRead: boolean;
  modifyAllRecords: boolean;
  viewAllFields: boolean;
  viewAllRecords: boolean;
};

export const OTHER_SECTIONS: Record<string, [string, string]> = {
  classAccesses: ['apexClass', 'enabled'],
  pageAccesses: ['apexPage', 'enabled'],
  customPermissions: ['name', 'enabled'],
  customMetadataTypeAccesses: ['name', 'enabled'],
  customSettingAccesses: ['name', 'enabled'],
  flowAccesses: ['flow', 'enabled'],
  externalDataSourceAccesses: ['externalDataSource', 'enabled'],
  applicationVisibilities: ['application', 'visible'],
};

export type BigOrg = {
  seed: EmulatorSeed;
  profileName: string;
  username: string;
  /** what each source grants */
  profile: Grants;
  permissionSets: Record<string, Grants>;
  /** group name -> its member sets' names and what the muting set mutes */
  groups: Record<string, { sets: string[]; muted: Grants }>;
  /** names of sets assigned directly, and groups assigned, to `username` */
  assigned: { permissionSets: string[]; groups: string[] };
};

const empty = (): Grants => ({ userPermissions: [], objects: {}, fields: {}, other: {}, tabs: {} });

function full(read = true, edit = true, all = false): ObjectRights {
  return {
    allowCreate: edit,
    allowDelete: edit,
    allowEdit: edit,
    allowRead: read,
    modifyAllRecords: all,
    viewAllFields: all,
    viewAllRecords: all,
  };
}

/** A small deterministic pseudo-random sequence (no Math.random: same org every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Profile metadata XML for the grants (plus profile-only elements, which the org keeps but never as records). */
export function profileXml(g: Grants, userLicense = 'Salesforce'): string {
  const parts: string[] = [];
  const el = (name: string, fields: Record<string, string | boolean>): void => {
    parts.push(
      `<${name}>${Object.entries(fields)
        .map(([k, v]) => `<${k}>${esc(String(v))}</${k}>`)
        .join('')}</${name}>`,
    );
  };
  // Profile element order (alphabetical)
  for (const a of g.other.applicationVisibilities ?? [])
    el('applicationVisibilities', { application: a, default: false, visible: true });
  for (const c of g.other.classAccesses ?? []) el('classAccesses', { apexClass: c, enabled: true });
  parts.push('<custom>true</custom>');
  for (const n of g.other.customMetadataTypeAccesses ?? [])
    el('customMetadataTypeAccesses', { enabled: true, name: n });
  for (const n of g.other.customPermissions ?? []) el('customPermissions', { enabled: true, name: n });
  for (const n of g.other.customSettingAccesses ?? []) el('customSettingAccesses', { enabled: true, name: n });
  for (const n of g.other.externalDataSourceAccesses ?? [])
    el('externalDataSourceAccesses', { enabled: true, externalDataSource: n });
  for (const [f, [r, e]] of Object.entries(g.fields).sort())
    el('fieldPermissions', { editable: e, field: f, readable: r });
  for (const n of g.other.flowAccesses ?? []) el('flowAccesses', { enabled: true, flow: n });
  el('layoutAssignments', { layout: 'Account-Account Layout' });
  for (const [o, r] of Object.entries(g.objects).sort()) {
    el('objectPermissions', {
      allowCreate: r.allowCreate,
      allowDelete: r.allowDelete,
      allowEdit: r.allowEdit,
      allowRead: r.allowRead,
      modifyAllRecords: r.modifyAllRecords,
      object: o,
      viewAllFields: r.viewAllFields,
      viewAllRecords: r.viewAllRecords,
    });
  }
  for (const p of g.other.pageAccesses ?? []) el('pageAccesses', { apexPage: p, enabled: true });
  for (const [t, v] of Object.entries(g.tabs).sort())
    el('tabVisibilities', { tab: t, visibility: v === 'Visible' ? 'DefaultOn' : 'DefaultOff' });
  el('tabVisibilities', { tab: 'standard-Idea', visibility: 'Hidden' });
  parts.push(`<userLicense>${userLicense}</userLicense>`);
  for (const p of [...g.userPermissions].sort()) el('userPermissions', { enabled: true, name: p });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Profile xmlns="http://soap.sforce.com/2006/04/metadata">${parts.join('')}</Profile>\n`;
}

function permissionSetSeed(name: string, g: Grants): NonNullable<EmulatorSeed['permissionSets']>[number] {
  const sections: Record<string, Array<Record<string, string | boolean>>> = {};
  for (const [section, names] of Object.entries(g.other)) {
    const [key, grant] = OTHER_SECTIONS[section];
    sections[section] = names.map((n) => ({ [key]: n, [grant]: true }));
  }
  sections.tabSettings = Object.entries(g.tabs).map(([tab, visibility]) => ({ tab, visibility }));
  return {
    name,
    label: name.replace(/_/g, ' '),
    userPermissions: g.userPermissions,
    objectPermissions: Object.entries(g.objects).map(([object, r]) => ({ object, ...r })),
    fieldPermissions: Object.entries(g.fields).map(([field, [readable, editable]]) => ({ field, readable, editable })),
    sections,
  };
}

/**
 * The org. `objects` custom objects with `fieldsPerObject` fields each on the profile (defaults: 300 x 12 = 3,600
 * field permissions plus standard objects), 120 Apex classes, 40 pages, 80 tabs...
 */
export function bigOrg(options: { objects?: number; fieldsPerObject?: number; seed?: number } = {}): BigOrg {
  const objects = options.objects ?? 300;
  const perObject = options.fieldsPerObject ?? 12;
  const rand = rng(options.seed ?? 42);
  const profile = empty();
  profile.userPermissions = [
    // licensed by the PSL (emulator default list)
    'ApiEnabled', // inherent
    'ViewSetup',
    'ModifyAllData',
    'ViewAllData',
    'CustomizeApplication',
    'RunReports',
    // not carried by the PSL: companion
    'AuthorApex',
    'ManageRemoteAccess',
    // UI only (Salesforce Help: the Lightning Experience interface)
    'LightningExperienceUser',
    // no source says what it does, so not UI-only: carried (companion: the PSL doesn't list it)
    'ViewHelpLink',
  ];
  for (const o of ['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'Campaign'])
    profile.objects[o] = full(true, true, true);
  for (const f of ['Account.Industry', 'Account.Phone', 'Contact.Email', 'Opportunity.Amount'])
    profile.fields[f] = [true, true];
  for (let i = 0; i < objects; i++) {
    const o = `Obj${String(i).padStart(3, '0')}__c`;
    const r = rand();
    // most objects full CRUD, some read only, a few view all / modify all
    profile.objects[o] =
      r < 0.7
        ? full(true, true, r < 0.1)
        : r < 0.95
          ? full(true, false)
          : { ...full(true, false), viewAllRecords: true };
    for (let j = 0; j < perObject; j++) {
      const x = rand();
      // a few fields with no access: Salesforce keeps no FieldPermissions row for them
      profile.fields[`${o}.Field${String(j).padStart(2, '0')}__c`] = x < 0.05 ? [false, false] : [true, x < 0.75];
    }
  }
  const named = (prefix: string, n: number, suffix = ''): string[] =>
    Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}${suffix}`);
  profile.other = {
    classAccesses: named('SyncService', 120),
    pageAccesses: named('SetupPage', 40),
    customPermissions: named('Can_Sync_', 12),
    customMetadataTypeAccesses: named('Sync_Config_', 6, '__mdt'),
    customSettingAccesses: named('Sync_Setting_', 6, '__c'),
    flowAccesses: named('Sync_Flow_', 8),
    externalDataSourceAccesses: ['ERP_OData'],
    applicationVisibilities: ['standard__Sales', 'standard__Service', 'Sync_Console'],
  };
  for (const t of named('Obj', 80, '__c')) profile.tabs[t] = rand() < 0.8 ? 'Visible' : 'Available';

  // permission sets: direct, in the group, one muting, one not assigned
  const ps: Record<string, Grants> = {};
  ps.Sync_Extra = empty();
  ps.Sync_Extra.userPermissions = ['ManageUsers', 'ViewAllUsers', 'BulkApiHardDelete'];
  ps.Sync_Extra.objects = { Obj000__c: full(true, true, true), Contract__c: full(true, true) };
  ps.Sync_Extra.fields = { 'Obj000__c.Field00__c': [true, true], 'Obj001__c.Field01__c': [true, true] };
  ps.Sync_Extra.other = { classAccesses: ['SyncService000', 'ExtraHandler'], customPermissions: ['Can_Purge'] };
  ps.Sync_Extra.tabs = { Obj000__c: 'Visible', Contract__c: 'Available' };

  ps.Reports_Access = empty();
  ps.Reports_Access.userPermissions = ['RunReports', 'ExportReport', 'ScheduleReports'];
  ps.Reports_Access.other = { flowAccesses: ['Report_Flow'], applicationVisibilities: ['Reports_App'] };

  ps.Group_Data = empty();
  ps.Group_Data.userPermissions = ['ViewEncryptedData', 'ApiEnabled'];
  ps.Group_Data.objects = { Invoice__c: full(true, true), Payment__c: full(true, false) };
  ps.Group_Data.fields = {
    'Invoice__c.Total__c': [true, true],
    'Invoice__c.Status__c': [true, false],
    'Payment__c.Amount__c': [true, false],
  };
  ps.Group_Data.other = { classAccesses: ['InvoiceService'], externalDataSourceAccesses: ['Billing_OData'] };

  ps.Group_Admin = empty();
  ps.Group_Admin.userPermissions = ['ManageDataIntegrations', 'ApiUserOnly'];
  ps.Group_Admin.objects = { Invoice__c: full(true, true, true) };
  ps.Group_Admin.other = { customMetadataTypeAccesses: ['Billing_Config__mdt'] };

  ps.Not_Assigned = empty();
  ps.Not_Assigned.userPermissions = ['ManageSandboxes'];
  ps.Not_Assigned.objects = { Secret__c: full(true, true) };

  // the muting set mutes one user permission and the edit of one field given in the group
  const muted = empty();
  muted.userPermissions = ['ViewEncryptedData'];
  muted.fields = { 'Invoice__c.Total__c': [false, true] };

  const groups: PermissionSetGroupSeed[] = [
    {
      name: 'Billing_Sync',
      label: 'Billing Sync',
      permissionSets: ['Group_Data', 'Group_Admin'],
      muting: {
        name: 'Billing_Sync_Muting',
        userPermissions: muted.userPermissions,
        fieldPermissions: [{ field: 'Invoice__c.Total__c', readable: false, editable: true }],
      },
    },
  ];

  const profileName = 'Integration Admin';
  const username = 'integrations@acme.com';
  const objectsSeed = [
    { name: 'Contract__c', fields: [] },
    { name: 'Invoice__c', fields: [{ name: 'Total__c' }, { name: 'Status__c' }] },
    { name: 'Payment__c', fields: [{ name: 'Amount__c' }] },
    { name: 'Secret__c', fields: [] },
  ];
  const seed: EmulatorSeed = {
    type: 'production',
    edition: 'Enterprise Edition',
    licenses: { salesforce: 20, integration: 5 },
    // ManageSandboxes: production orgs have it (sandboxes are made from production); the schema data's org did not
    userPermissions: [
      'ExportReport',
      'ScheduleReports',
      'ManageDataIntegrations',
      'BulkApiHardDelete',
      'ViewEncryptedData',
      'ManageRemoteAccess',
      'AuthorApex',
      'ManageSandboxes',
    ],
    objects: objectsSeed,
    profiles: [{ name: profileName, userLicense: 'Salesforce', metadataXml: profileXml(profile) }],
    permissionSets: Object.entries(ps).map(([name, g]) => permissionSetSeed(name, g)),
    permissionSetGroups: groups,
    users: [
      {
        username,
        lastName: 'Integrations',
        profile: profileName,
        permissionSets: ['Sync_Extra', 'Reports_Access'],
        permissionSetGroups: ['Billing_Sync'],
      },
      {
        username: 'someone.else@acme.com',
        lastName: 'Else',
        profile: 'Standard User',
        permissionSets: ['Not_Assigned'],
      },
    ],
  };
  return {
    seed,
    profileName,
    username,
    profile,
    permissionSets: ps,
    groups: { Billing_Sync: { sets: ['Group_Data', 'Group_Admin'], muted } },
    assigned: { permissionSets: ['Sync_Extra', 'Reports_Access'], groups: ['Billing_Sync'] },
  };
}
