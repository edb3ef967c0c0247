/**
 * Reads permission sets (a profile's own one included) from the org's records, not from metadata: the PermissionSet
 * row with its Permissions* fields, ObjectPermissions, FieldPermissions, SetupEntityAccess (names resolved with one
 * follow-up query per entity type) and PermissionSetTabSetting. A Profile retrieve only returns object and field
 * permissions for components retrieved with it, and readMetadata is known to omit entries: the records are complete.
 *
 * Over 300 lines: one reader of one permission set's records (headers, children, setup-entity names) whose queries
 * share the chunking, stats and Id keys; split when the setup-entity resolvers grow further.
 */
import { FIELD_SINCE } from '../permissions/element-versions.js';
import type { Connection } from '@salesforce/core';
import type { Entry } from '../permissions/model.js';
import { soqlInList } from '../org-api/soql.js';
import { fieldText } from '../org-api/field-text.js';
import { labelsFromDescribe } from '../permissions/labels.js';
import { chunks, id15, newStats, queryAll, type ReadStats } from './query.js';
import { SECTION_REGISTRY } from '../permissions/registry.js';

/** What kind of permission set a record is: a profile's own, a regular one, a group's aggregate, or a MutingPermissionSet. */
export type PermissionSetKind = 'profile' | 'permissionSet' | 'group' | 'muting';

export type PermissionSetHeader = {
  id: string;
  /** PermissionSet.Name (X00e… for a profile's own set) */
  name: string;
  label: string;
  kind: PermissionSetKind;
  profileId?: string;
  profileName?: string;
  /** the profile's user license */
  userLicense?: string;
  permissionSetGroupId?: string;
};

/** One permission set's grants, in Metadata API terms (profile element names for a profile's own set). */
export type PermissionSetContents = {
  header: PermissionSetHeader;
  sections: Record<string, Entry[]>;
};

/** A SetupEntityAccess row whose entity the reader could not name (unknown type, or the follow-up query failed). */
export type UnresolvedEntity = { permissionSet: string; type: string; id: string };

export type ReadResult = {
  sets: PermissionSetContents[];
  unresolved: UnresolvedEntity[];
  warnings: string[];
  stats: ReadStats;
};

/** Sections that are not Metadata API elements: access the org records but a permission set file can't hold. */
export const CONNECTED_APP_SECTION = 'connectedAppAccesses';
export const OTHER_SETUP_ENTITY_SECTION = 'otherSetupEntityAccesses';

// ~40 characters a field name: keeps each query URL well under the REST API's 16 KB limit
const FIELDS_PER_QUERY = 300;
const IDS_PER_QUERY = 200;
const PERMISSIONS = 'Permissions';

const OBJECT_FIELDS: ReadonlyArray<[string, string]> = Object.entries(
  SECTION_REGISTRY.objectPermissions.sObject.fields,
);

/**
 * ObjectPermissions fields the API version has: PermissionsViewAllFields exists from API 63.0 on (the same
 * version as the metadata element, element-versions.ts; ../shared/reference/salesforce/sobjects.json).
 */
export function objectPermissionFields(apiVersion: string | undefined): ReadonlyArray<[string, string]> {
  const version = Number(apiVersion);
  const since = Number(FIELD_SINCE.objectPermissions?.viewAllFields);
  return Number.isFinite(version) && version < since
    ? OBJECT_FIELDS.filter(([k]) => k !== 'viewAllFields')
    : OBJECT_FIELDS;
}

type Rec = Record<string, unknown>;
type Resolver = {
  /** SOQL for a chunk of ids (given as quoted-literal-ready strings) */
  soql: (ids: string[]) => string;
  /** the entity id a row answers for, and the entity's metadata name */
  row: (r: Rec) => [string, string] | undefined;
  /** entity ids as the query must name them (durable ids are matched in both 15 and 18 character forms) */
  durable?: boolean;
};

const qualified = (ns: unknown, name: unknown): string =>
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

const TAB_SETTING: Readonly<Record<string, string>> = { DefaultOn: 'Visible', DefaultOff: 'Available' };

/**
 * Reads permission sets from the org's records. One describe of PermissionSet (cached), the PermissionSet rows (one
 * query per 300 Permissions* fields), then ObjectPermissions, FieldPermissions, SetupEntityAccess and
 * PermissionSetTabSetting in parallel (every page), then one query per setup entity type to name the entities.
 */
export class PermissionSetReader {
  public readonly stats: ReadStats;
  private permissionFields?: Promise<Array<{ name: string; type: string; label?: string }>>;
  private mutingFields?: Promise<string[]>;

  public constructor(
    private readonly conn: Connection,
    stats?: ReadStats,
  ) {
    this.stats = stats ?? newStats();
  }

  /** The org's user permission fields (`Permissions<Name>` booleans of PermissionSet), as the org spells them. */
  public async userPermissionFields(): Promise<string[]> {
    return (await this.describePermissionSet()).map((f) => f.name);
  }

  /** The org's own labels of its user permissions (what Setup shows, in the user's language), from the same describe. */
  public async userPermissionLabels(): Promise<Map<string, string>> {
    return labelsFromDescribe(await this.describePermissionSet());
  }

  private describePermissionSet(): Promise<Array<{ name: string; type: string; label?: string }>> {
    this.permissionFields ??= (async (): Promise<Array<{ name: string; type: string; label?: string }>> => {
      this.stats.roundTrips++;
      const describe = (await this.conn.describe('PermissionSet')) as unknown as {
        fields: Array<{ name: string; type: string; label?: string }>;
      };
      return describe.fields.filter(
        (f) => f.type === 'boolean' && f.name.startsWith(PERMISSIONS) && f.name.length > PERMISSIONS.length,
      );
    })();
    return this.permissionFields;
  }

  /** User permission names the org knows, keyed by lower case. */
  public async knownUserPermissions(): Promise<Map<string, string>> {
    const fields = await this.userPermissionFields();
    return new Map(fields.map((f) => [f.slice(PERMISSIONS.length).toLowerCase(), f.slice(PERMISSIONS.length)]));
  }

  /**
   * Reads the permission sets matching `where` (a SOQL condition on PermissionSet, e.g. `Id IN (...)`), with
   * everything they grant. Sets of kind `group` (a group's aggregate) are returned with their header only: read the
   * group's components instead.
   */
  public async read(where: string): Promise<ReadResult> {
    const fields = await this.userPermissionFields();
    const fieldChunks = chunks(fields, FIELDS_PER_QUERY);
    const base =
      'Id, Name, NamespacePrefix, Label, Type, IsOwnedByProfile, ProfileId, Profile.Name, Profile.UserLicense.Name, PermissionSetGroupId';
    const [first, ...rest] = await Promise.all(
      (fieldChunks.length ? fieldChunks : [[]]).map((chunk, i) =>
        queryAll<Rec>(
          this.conn,
          `SELECT ${[i === 0 ? base : 'Id', ...chunk].join(', ')} FROM PermissionSet WHERE ${where}`,
          this.stats,
        ),
      ),
    );
    const rows = new Map(first.map((r) => [String(r.Id), { ...r }]));
    for (const more of rest) for (const r of more) Object.assign(rows.get(String(r.Id)) ?? {}, r);

    const sets = new Map<string, PermissionSetContents>();
    for (const r of rows.values()) {
      const header = headerOf(r);
      const sections: Record<string, Entry[]> = {};
      if (header.kind !== 'group') {
        const perms = fields
          .filter((f) => r[f] === true)
          .map((f) => ({ enabled: true, name: f.slice(PERMISSIONS.length) }));
        if (perms.length) sections.userPermissions = perms;
      }
      sets.set(id15(header.id), { header, sections });
    }
    return this.readChildren(sets, true);
  }

  /**
   * Reads the MutingPermissionSet records with these ids (a group's muting set is its own sObject, API 46.0+, not a
   * PermissionSet row), with their user, object and field permissions, as sets of kind `muting`. MutingPermissionSet
   * has no NamespacePrefix field (unlike PermissionSet): asking for it fails the query with INVALID_FIELD.
   */
  public async readMuting(ids: readonly string[]): Promise<ReadResult> {
    if (ids.length === 0) return { sets: [], unresolved: [], warnings: [], stats: this.stats };
    const fields = await this.mutingPermissionFields();
    const fieldChunks = chunks(fields, FIELDS_PER_QUERY);
    const base = 'Id, DeveloperName, MasterLabel';
    const pages = await Promise.all(
      chunks([...ids], IDS_PER_QUERY).flatMap((idChunk) =>
        (fieldChunks.length ? fieldChunks : [[]]).map((chunk, i) =>
          queryAll<Rec>(
            this.conn,
            `SELECT ${[i === 0 ? base : 'Id', ...chunk].join(', ')} FROM MutingPermissionSet WHERE Id IN ${soqlInList(idChunk)}`,
            this.stats,
          ),
        ),
      ),
    );
    const rows = new Map<string, Rec>();
    for (const r of pages.flat()) rows.set(String(r.Id), Object.assign(rows.get(String(r.Id)) ?? {}, r));
    const sets = new Map<string, PermissionSetContents>();
    for (const r of rows.values()) {
      const header: PermissionSetHeader = {
        id: String(r.Id),
        name: String(r.DeveloperName),
        label: String(r.MasterLabel ?? r.DeveloperName),
        kind: 'muting',
      };
      const sections: Record<string, Entry[]> = {};
      const perms = fields
        .filter((f) => r[f] === true)
        .map((f) => ({ enabled: true, name: f.slice(PERMISSIONS.length) }));
      if (perms.length) sections.userPermissions = perms;
      sets.set(id15(header.id), { header, sections });
    }
    return this.readChildren(sets, false);
  }

  /** The `Permissions<Name>` booleans of MutingPermissionSet (described once, like PermissionSet's). */
  private mutingPermissionFields(): Promise<string[]> {
    this.mutingFields ??= (async (): Promise<string[]> => {
      this.stats.roundTrips++;
      const describe = (await this.conn.describe('MutingPermissionSet')) as unknown as {
        fields: Array<{ name: string; type: string }>;
      };
      return describe.fields
        .filter((f) => f.type === 'boolean' && f.name.startsWith(PERMISSIONS) && f.name.length > PERMISSIONS.length)
        .map((f) => f.name);
    })();
    return this.mutingFields;
  }

  /**
   * Adds the sets' ObjectPermissions and FieldPermissions (and, with `setupAndTabs`, SetupEntityAccess and
   * PermissionSetTabSetting) rows to their sections. A muting set's children are only object and field permissions.
   */
  private async readChildren(sets: Map<string, PermissionSetContents>, setupAndTabs: boolean): Promise<ReadResult> {
    const parentIds = [...sets.values()].filter((s) => s.header.kind !== 'group').map((s) => s.header.id);
    const result: ReadResult = { sets: [...sets.values()], unresolved: [], warnings: [], stats: this.stats };
    if (parentIds.length === 0) return result;

    const objectFields = objectPermissionFields(this.conn.getApiVersion());
    const children = (soql: (ids: string[]) => string): Promise<Rec[]> =>
      Promise.all(chunks(parentIds, IDS_PER_QUERY).map((ids) => queryAll<Rec>(this.conn, soql(ids), this.stats))).then(
        (a) => a.flat(),
      );
    const none = Promise.resolve<Rec[]>([]);
    const [objects, fieldPerms, entities, tabs] = await Promise.all([
      children(
        (ids) =>
          `SELECT ParentId, SobjectType, ${objectFields.map(([, f]) => f).join(', ')} FROM ObjectPermissions WHERE ParentId IN ${soqlInList(ids)}`,
      ),
      children(
        (ids) =>
          `SELECT ParentId, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId IN ${soqlInList(ids)}`,
      ),
      setupAndTabs
        ? children(
            (ids) =>
              `SELECT ParentId, SetupEntityId, SetupEntityType FROM SetupEntityAccess WHERE ParentId IN ${soqlInList(ids)}`,
          )
        : none,
      setupAndTabs
        ? children(
            (ids) =>
              `SELECT ParentId, Name, Visibility FROM PermissionSetTabSetting WHERE ParentId IN ${soqlInList(ids)}`,
          )
        : none,
    ]);
    const add = (parentId: unknown, section: string, entry: Entry): void => {
      const set = sets.get(id15(String(parentId)));
      if (set) (set.sections[section] ??= []).push(entry);
    };

    for (const o of objects) {
      const entry: Entry = { object: String(o.SobjectType) };
      let grants = false;
      for (const [k, f] of objectFields) {
        entry[k] = o[f] === true;
        grants ||= o[f] === true;
      }
      if (grants) add(o.ParentId, 'objectPermissions', entry);
    }
    for (const f of fieldPerms) {
      if (f.PermissionsRead !== true && f.PermissionsEdit !== true) continue;
      add(f.ParentId, 'fieldPermissions', {
        editable: f.PermissionsEdit === true,
        field: String(f.Field),
        readable: f.PermissionsRead === true,
      });
    }
    for (const t of tabs) {
      const parent = sets.get(id15(String(t.ParentId)));
      const visibility = String(t.Visibility);
      if (!parent || !TAB_SETTING[visibility]) continue;
      // a profile says tabVisibilities (DefaultOn / DefaultOff), a permission set tabSettings (Visible / Available)
      if (parent.header.kind === 'profile') add(t.ParentId, 'tabVisibilities', { tab: String(t.Name), visibility });
      else add(t.ParentId, 'tabSettings', { tab: String(t.Name), visibility: TAB_SETTING[visibility] });
    }

    const names = await this.resolveEntities(entities, result.warnings);
    for (const e of entities) {
      const type = String(e.SetupEntityType);
      const id = String(e.SetupEntityId);
      const name = names.get(`${type}:${id15(id)}`);
      const mapped = name === undefined ? undefined : entityEntry(type, name);
      if (mapped) add(e.ParentId, mapped[0], mapped[1]);
      else {
        const parent = sets.get(id15(String(e.ParentId)));
        result.unresolved.push({ permissionSet: parent?.header.name ?? String(e.ParentId), type, id });
        add(e.ParentId, OTHER_SETUP_ENTITY_SECTION, { enabled: true, name: `${type} ${id}` });
      }
    }
    for (const set of sets.values()) sortSections(set.sections);
    return result;
  }

  /** Names of the setup entities, keyed `type:id15`: one query per type (per 200 ids), all types in parallel. */
  private async resolveEntities(rows: Rec[], warnings: string[]): Promise<Map<string, string>> {
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
            chunks([...new Set(wanted)], IDS_PER_QUERY).map((c) =>
              queryAll<Rec>(this.conn, resolver.soql(c), this.stats),
            ),
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
}

function headerOf(r: Rec): PermissionSetHeader {
  const profile = r.Profile as { Name?: string; UserLicense?: { Name?: string } | null } | null | undefined;
  const type = typeof r.Type === 'string' ? r.Type : '';
  const kind: PermissionSetKind =
    r.IsOwnedByProfile === true ? 'profile' : type === 'Group' ? 'group' : 'permissionSet';
  return {
    id: String(r.Id),
    // a managed set's API name is ns__Name: the org keeps the prefix in NamespacePrefix
    name: kind === 'profile' && profile?.Name ? profile.Name : qualified(r.NamespacePrefix, r.Name),
    label: String(r.Label ?? r.Name),
    kind,
    profileId: r.ProfileId ? fieldText(r.ProfileId) : undefined,
    profileName: profile?.Name,
    userLicense: profile?.UserLicense?.Name ?? undefined,
    permissionSetGroupId: r.PermissionSetGroupId ? fieldText(r.PermissionSetGroupId) : undefined,
  };
}

const KEY_FIELDS = [
  'name',
  'object',
  'field',
  'apexClass',
  'apexPage',
  'flow',
  'externalDataSource',
  'application',
  'tab',
  'connectedApp',
];

/** Entries sorted by their key (code-unit order): the same org gives the same document. */
export function sortSections(sections: Record<string, Entry[]>): void {
  for (const entries of Object.values(sections)) {
    const key = (e: Entry): string => String(KEY_FIELDS.map((k) => e[k]).find((v) => typeof v === 'string') ?? '');
    entries.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
}
