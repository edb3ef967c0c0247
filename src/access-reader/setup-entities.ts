/**
 * SetupEntityAccess rows named: the entities (Apex classes and pages, custom permissions, apps, connected apps, custom
 * metadata and settings, flows, external data sources) are found with one query per entity type, and each access
 * becomes the permission set entry that grants it. An entity the reader can't name is kept by Id, never dropped.
 */
import type { Connection } from '@salesforce/core';
import type { Entry } from '../permissions/model.js';
import { soqlInList } from '../org-api/soql.js';
import { fieldText } from '../org-api/field-text.js';
import { chunks, id15, queryAll, type ReadStats } from './query.js';

/** Sections that are not Metadata API elements: access the org records but a permission set file can't hold. */
export const CONNECTED_APP_SECTION = 'connectedAppAccesses';
export const OTHER_SETUP_ENTITY_SECTION = 'otherSetupEntityAccesses';

const IDS_PER_QUERY = 200;

/** A SetupEntityAccess row whose entity the reader could not name (unknown type, or the follow-up query failed). */
export type UnresolvedEntity = { permissionSet: string; type: string; id: string };

type Rec = Record<string, unknown>;
type Resolver = {
  /** SOQL for a chunk of ids (given as quoted-literal-ready strings) */
  soql: (ids: string[]) => string;
  /** the entity id a row answers for, and the entity's metadata name */
  row: (r: Rec) => [string, string] | undefined;
  /** entity ids as the query must name them (durable ids are matched in both 15 and 18 character forms) */
  durable?: boolean;
};

/** A managed component's API name: ns__Name (the org keeps the prefix apart, in NamespacePrefix). */
export const qualified = (ns: unknown, name: unknown): string =>
  typeof ns === 'string' && ns && !String(name).startsWith(`${ns}__`) ? `${ns}__${String(name)}` : String(name);

/** An entity found by Id whose metadata name is its name field, with the namespace prefix when it has one. */
const namespacedById = (sobject: string, nameField: 'Name' | 'DeveloperName'): Resolver => ({
  soql: (ids) => `SELECT Id, ${nameField}, NamespacePrefix FROM ${sobject} WHERE Id IN ${soqlInList(ids)}`,
  row: (r) => [String(r.Id), qualified(r.NamespacePrefix, r[nameField])],
});

const RESOLVERS: Readonly<Record<string, Resolver>> = {
  ApexClass: namespacedById('ApexClass', 'Name'),
  ApexPage: namespacedById('ApexPage', 'Name'),
  CustomPermission: namespacedById('CustomPermission', 'DeveloperName'),
  ExternalDataSource: namespacedById('ExternalDataSource', 'DeveloperName'),
  ConnectedApplication: {
    soql: (ids) => `SELECT Id, Name FROM ConnectedApplication WHERE Id IN ${soqlInList(ids)}`,
    row: (r) => [String(r.Id), String(r.Name)],
  },
  TabSet: {
    soql: (ids) =>
      `SELECT ApplicationId, Name, NamespacePrefix FROM AppMenuItem WHERE ApplicationId IN ${soqlInList(ids)}`,
    row: (r) => (r.ApplicationId ? [fieldText(r.ApplicationId), qualified(r.NamespacePrefix, r.Name)] : undefined),
  },
  CustomEntityDefinition: {
    soql: (ids) => `SELECT DurableId, QualifiedApiName FROM EntityDefinition WHERE DurableId IN ${soqlInList(ids)}`,
    row: (r) => [String(r.DurableId), String(r.QualifiedApiName)],
    durable: true,
  },
  FlowDefinition: {
    soql: (ids) =>
      `SELECT DurableId, ApiName, NamespacePrefix FROM FlowDefinitionView WHERE DurableId IN ${soqlInList(ids)}`,
    row: (r) => [String(r.DurableId), qualified(r.NamespacePrefix, r.ApiName)],
    durable: true,
  },
};

/** The metadata entry for an access to a named setup entity. */
function entityEntry(type: string, name: string): [string, Entry] | undefined {
  switch (type) {
    case 'ApexClass':
      return ['classAccesses', { apexClass: name, enabled: true }];
    case 'ApexPage':
      return ['pageAccesses', { apexPage: name, enabled: true }];
    case 'CustomPermission':
      return ['customPermissions', { enabled: true, name }];
    case 'ExternalDataSource':
      return ['externalDataSourceAccesses', { enabled: true, externalDataSource: name }];
    case 'ConnectedApplication':
      return [CONNECTED_APP_SECTION, { connectedApp: name, enabled: true }];
    case 'TabSet':
      return ['applicationVisibilities', { application: name, visible: true }];
    case 'CustomEntityDefinition':
      return name.endsWith('__mdt')
        ? ['customMetadataTypeAccesses', { enabled: true, name }]
        : ['customSettingAccesses', { enabled: true, name }];
    case 'FlowDefinition':
      return ['flowAccesses', { enabled: true, flow: name }];
    default:
      return undefined;
  }
}

/** Names of the setup entities, keyed `type:id15`: one query per type (per 200 ids), all types in parallel. */
export async function resolveEntities(
  conn: Connection,
  stats: ReadStats,
  rows: Rec[],
  warnings: string[],
): Promise<Map<string, string>> {
  const byType = new Map<string, Set<string>>();
  for (const r of rows) {
    const type = String(r.SetupEntityType);
    if (!RESOLVERS[type]) continue;
    let ids = byType.get(type);
    if (!ids) byType.set(type, (ids = new Set()));
    ids.add(String(r.SetupEntityId));
  }
  const names = new Map<string, string>();
  await Promise.all(
    [...byType].map(async ([type, ids]) => {
      const resolver = RESOLVERS[type];
      // durable ids are 15 characters in EntityDefinition; ask for both forms, match on the first 15
      const wanted = resolver.durable ? [...ids].flatMap((id) => [id15(id), id]) : [...ids];
      try {
        const found = await Promise.all(
          chunks([...new Set(wanted)], IDS_PER_QUERY).map((c) => queryAll<Rec>(conn, resolver.soql(c), stats)),
        );
        for (const r of found.flat()) {
          const hit = resolver.row(r);
          if (hit) names.set(`${type}:${id15(hit[0])}`, hit[1]);
        }
      } catch (e) {
        warnings.push(
          `Couldn't name the ${type} entries (${e instanceof Error ? e.message : String(e)}): they are listed by Id.`,
        );
      }
    }),
  );
  return names;
}

/** Where an access lands: the entry `add`s to its permission set's section. */
export type AddEntry = (parentId: unknown, section: string, entry: Entry) => void;

/**
 * Adds each SetupEntityAccess row as the entry it grants; one whose entity has no name goes to
 * {@link OTHER_SETUP_ENTITY_SECTION} by type and Id, and is returned as unresolved (with its permission set's name).
 */
export function addEntityAccesses(
  rows: Rec[],
  names: Map<string, string>,
  add: AddEntry,
  setName: (parentId: string) => string | undefined,
): UnresolvedEntity[] {
  const unresolved: UnresolvedEntity[] = [];
  for (const e of rows) {
    const type = String(e.SetupEntityType);
    const id = String(e.SetupEntityId);
    const name = names.get(`${type}:${id15(id)}`);
    const mapped = name === undefined ? undefined : entityEntry(type, name);
    if (mapped) add(e.ParentId, mapped[0], mapped[1]);
    else {
      unresolved.push({ permissionSet: setName(String(e.ParentId)) ?? String(e.ParentId), type, id });
      add(e.ParentId, OTHER_SETUP_ENTITY_SECTION, { enabled: true, name: `${type} ${id}` });
    }
  }
  return unresolved;
}
