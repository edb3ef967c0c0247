/**
 * Setup entities as Salesforce stores access to them: a SetupEntityAccess row (ParentId = the permission set,
 * SetupEntityId, SetupEntityType) pointing at the entity's own record (ApexClass, ApexPage, CustomPermission,
 * ExternalDataSource, the app's TabSet id with an AppMenuItem, a custom object's 01I id with an EntityDefinition row,
 * a FlowDefinition's 300 id with a FlowDefinitionView row). Tab visibility is a PermissionSetTabSetting row.
 */
import { to18 } from './ids.js';
import type { OrgState, Rec } from './state.js';
import { fieldText } from './field-text.js';

export type SetupEntitySection = {
  /** metadata field naming the entity */
  nameField: string;
  /** metadata field whose `true` grants access */
  enabledField: string;
  /** SetupEntityAccess.SetupEntityType */
  type: string;
};

/** PermissionSet / Profile metadata sections stored as SetupEntityAccess rows. */
export const SETUP_ENTITY_SECTIONS: Readonly<Record<string, SetupEntitySection>> = {
  classAccesses: { nameField: 'apexClass', enabledField: 'enabled', type: 'ApexClass' },
  pageAccesses: { nameField: 'apexPage', enabledField: 'enabled', type: 'ApexPage' },
  customPermissions: { nameField: 'name', enabledField: 'enabled', type: 'CustomPermission' },
  applicationVisibilities: { nameField: 'application', enabledField: 'visible', type: 'TabSet' },
  flowAccesses: { nameField: 'flow', enabledField: 'enabled', type: 'FlowDefinition' },
  customMetadataTypeAccesses: { nameField: 'name', enabledField: 'enabled', type: 'CustomEntityDefinition' },
  customSettingAccesses: { nameField: 'name', enabledField: 'enabled', type: 'CustomEntityDefinition' },
  externalDataSourceAccesses: { nameField: 'externalDataSource', enabledField: 'enabled', type: 'ExternalDataSource' },
};

/** `ns__Name` -> [ns, Name]; custom object names (`ns__Obj__c`) keep their suffix. */
function splitNamespace(name: string): [string | null, string] {
  const m = /^([A-Za-z][A-Za-z0-9]*)__(?!c$|mdt$|e$|x$|b$)(.+)$/.exec(name);
  return m ? [m[1], m[2]] : [null, name];
}

const qualified = (ns: unknown, name: unknown): string =>
  ns ? `${fieldText(ns)}__${fieldText(name)}` : fieldText(name);
const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

type EntityId = (org: OrgState, name: string, ns: string | null, local: string) => string;

/** Apex classes and pages by (namespaced) Name. */
const apexId =
  (type: 'ApexClass' | 'ApexPage'): EntityId =>
  (org, name, ns, local) => {
    const hit = org.find(type, (r) => same(qualified(r.NamespacePrefix, r.Name), name));
    return (
      hit ??
      org.insert(type, { Name: local, NamespacePrefix: ns, ...(type === 'ApexPage' ? { MasterLabel: local } : {}) })
    ).Id;
  };

/** Custom permissions and external data sources by (namespaced) DeveloperName. */
const developerNameId =
  (type: 'CustomPermission' | 'ExternalDataSource'): EntityId =>
  (org, name, ns, local) => {
    const hit = org.find(type, (r) => same(qualified(r.NamespacePrefix, r.DeveloperName), name));
    return (hit ?? org.insert(type, { DeveloperName: local, NamespacePrefix: ns, MasterLabel: local })).Id;
  };

/** An app's TabSet id, with its AppMenuItem. */
const appId: EntityId = (org, name, ns, local) => {
  const hit = org.find('AppMenuItem', (r) => r.Type === 'TabSet' && same(qualified(r.NamespacePrefix, r.Name), name));
  if (hit) return String(hit.ApplicationId);
  const id = org.ctx.ids.next('02u');
  org.insert('AppMenuItem', { ApplicationId: id, Name: local, NamespacePrefix: ns, Label: local, Type: 'TabSet' });
  return id;
};

/** A custom setting's or custom metadata type's 01I id, with its EntityDefinition row. */
const customEntityId: EntityId = (org, name, ns, local) => {
  const hit = org.find('EntityDefinition', (r) => same(String(r.QualifiedApiName), name));
  if (hit) return to18(String(hit.DurableId));
  const id = org.ctx.ids.next('01I');
  org.insert('EntityDefinition', {
    DurableId: id.slice(0, 15),
    QualifiedApiName: name,
    DeveloperName: local.replace(/__(c|mdt)$/, ''),
    NamespacePrefix: ns,
    IsCustomSetting: !name.endsWith('__mdt'),
  });
  return id;
};

/** A flow's 300 id, with its FlowDefinitionView row. */
const flowId: EntityId = (org, name, ns, local) => {
  const hit = org.find('FlowDefinitionView', (r) => same(qualified(r.NamespacePrefix, r.ApiName), name));
  if (hit) return to18(String(hit.DurableId));
  const id = org.ctx.ids.next('300');
  org.insert('FlowDefinitionView', {
    DurableId: id.slice(0, 15),
    ApiName: local,
    NamespacePrefix: ns,
    Label: local,
    IsActive: true,
  });
  return id;
};

const ENTITY_IDS = new Map<string, EntityId>([
  ['ApexClass', apexId('ApexClass')],
  ['ApexPage', apexId('ApexPage')],
  ['CustomPermission', developerNameId('CustomPermission')],
  ['ExternalDataSource', developerNameId('ExternalDataSource')],
  [
    'ConnectedApplication',
    (org, name) =>
      (
        org.find('ConnectedApplication', (r) => same(String(r.Name), name)) ??
        org.insert('ConnectedApplication', { Name: name })
      ).Id,
  ],
  ['TabSet', appId],
  ['CustomEntityDefinition', customEntityId],
  ['FlowDefinition', flowId],
]);

/** The id SetupEntityAccess uses for the entity `name` of `type`, creating the entity's record when new. */
export function setupEntityId(org: OrgState, type: string, name: string): string {
  const [ns, local] = splitNamespace(name);
  const idOf = ENTITY_IDS.get(type);
  // other types have no entity record here: a stable id per name
  return idOf ? idOf(org, name, ns, local) : org.setupEntityId(type, name, '0J1');
}

const TAB_TO_RECORD: Readonly<Record<string, string | undefined>> = {
  Visible: 'DefaultOn',
  Available: 'DefaultOff',
  DefaultOn: 'DefaultOn',
  DefaultOff: 'DefaultOff',
};

/**
 * Replaces the SetupEntityAccess and PermissionSetTabSetting rows of a permission set with those the metadata
 * sections describe (permission set `tabSettings` or profile `tabVisibilities`; Hidden / None store nothing).
 */
export function writeSetupEntityRows(
  org: OrgState,
  parent: Rec,
  sections: Record<string, Array<Record<string, string>>>,
): void {
  for (const t of ['SetupEntityAccess', 'PermissionSetTabSetting']) {
    for (const r of org.filter(t, (x) => x.ParentId === parent.Id)) org.remove(r.Id);
  }
  const seen = new Set<string>();
  for (const [section, entries] of Object.entries(sections)) {
    const spec = SETUP_ENTITY_SECTIONS[section];
    if (spec) {
      for (const e of entries) {
        if (e[spec.enabledField] !== 'true' || !e[spec.nameField]) continue;
        const id = setupEntityId(org, spec.type, e[spec.nameField]);
        if (seen.has(id)) continue;
        seen.add(id);
        org.insert('SetupEntityAccess', { ParentId: parent.Id, SetupEntityId: id, SetupEntityType: spec.type });
      }
    } else if (section === 'tabSettings' || section === 'tabVisibilities') {
      for (const e of entries) {
        const visibility = TAB_TO_RECORD[e.visibility ?? ''];
        if (visibility && e.tab)
          org.insert('PermissionSetTabSetting', { ParentId: parent.Id, Name: e.tab, Visibility: visibility });
      }
    }
  }
}
