/**
 * Reads permission sets (a profile's own one included) from the org's records, not from metadata: the PermissionSet
 * row with its Permissions* fields, ObjectPermissions, FieldPermissions, SetupEntityAccess (names resolved with one
 * follow-up query per entity type) and PermissionSetTabSetting. A Profile retrieve only returns object and field
 * permissions for components retrieved with it, and readMetadata is known to omit entries: the records are complete.
 * Setup entities are named in setup-entities.ts.
 */
import { FIELD_SINCE } from '../permissions/element-versions.js';
import type { Connection } from '@salesforce/core';
import type { Entry } from '../permissions/model.js';
import { soqlInList } from '../org-api/soql.js';
import { fieldText } from '../org-api/field-text.js';
import { labelsFromDescribe } from '../permissions/labels.js';
import { chunks, id15, newStats, queryAll, type ReadStats } from './query.js';
import { SECTION_REGISTRY } from '../permissions/registry.js';
import {
  addEntityAccesses,
  qualified,
  resolveEntities,
  type AddEntry,
  type UnresolvedEntity,
} from './setup-entities.js';

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

export type ReadResult = {
  sets: PermissionSetContents[];
  unresolved: UnresolvedEntity[];
  warnings: string[];
  stats: ReadStats;
};

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
      sets.set(id15(header.id), { header, sections: header.kind === 'group' ? {} : userPermissionsOf(r, fields) });
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
      sets.set(id15(header.id), { header, sections: userPermissionsOf(r, fields) });
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
    const rows = await this.childRows(parentIds, objectFields, setupAndTabs);
    const setOf = (parentId: unknown): PermissionSetContents | undefined => sets.get(id15(String(parentId)));
    const add: AddEntry = (parentId, section, entry) => {
      const set = setOf(parentId);
      if (set) (set.sections[section] ??= []).push(entry);
    };
    addObjectPermissions(rows.objects, objectFields, add);
    addFieldPermissions(rows.fields, add);
    addTabSettings(rows.tabs, setOf, add);
    const names = await resolveEntities(this.conn, this.stats, rows.entities, result.warnings);
    result.unresolved.push(...addEntityAccesses(rows.entities, names, add, (id) => setOf(id)?.header.name));
    for (const set of sets.values()) sortSections(set.sections);
    return result;
  }

  /** Every child row of the parents, the four kinds in parallel (setup entities and tabs only when asked for). */
  private async childRows(
    parentIds: string[],
    objectFields: ReadonlyArray<[string, string]>,
    setupAndTabs: boolean,
  ): Promise<{ objects: Rec[]; fields: Rec[]; entities: Rec[]; tabs: Rec[] }> {
    const children = (from: string, select: string): Promise<Rec[]> =>
      Promise.all(
        chunks(parentIds, IDS_PER_QUERY).map((ids) =>
          queryAll<Rec>(this.conn, `SELECT ${select} FROM ${from} WHERE ParentId IN ${soqlInList(ids)}`, this.stats),
        ),
      ).then((a) => a.flat());
    const none = Promise.resolve<Rec[]>([]);
    const [objects, fields, entities, tabs] = await Promise.all([
      children('ObjectPermissions', `ParentId, SobjectType, ${objectFields.map(([, f]) => f).join(', ')}`),
      children('FieldPermissions', 'ParentId, Field, PermissionsRead, PermissionsEdit'),
      setupAndTabs ? children('SetupEntityAccess', 'ParentId, SetupEntityId, SetupEntityType') : none,
      setupAndTabs ? children('PermissionSetTabSetting', 'ParentId, Name, Visibility') : none,
    ]);
    return { objects, fields, entities, tabs };
  }
}

/** The row's `Permissions<Name>` fields that are true, as a userPermissions section (no section when none is). */
function userPermissionsOf(r: Rec, fields: readonly string[]): Record<string, Entry[]> {
  const perms = fields.filter((f) => r[f] === true).map((f) => ({ enabled: true, name: f.slice(PERMISSIONS.length) }));
  return perms.length ? { userPermissions: perms } : {};
}

/** ObjectPermissions rows that grant anything, as objectPermissions entries. */
function addObjectPermissions(rows: Rec[], objectFields: ReadonlyArray<[string, string]>, add: AddEntry): void {
  for (const o of rows) {
    const entry: Entry = { object: String(o.SobjectType) };
    let grants = false;
    for (const [k, f] of objectFields) {
      entry[k] = o[f] === true;
      grants ||= o[f] === true;
    }
    if (grants) add(o.ParentId, 'objectPermissions', entry);
  }
}

/** FieldPermissions rows that grant read or edit, as fieldPermissions entries. */
function addFieldPermissions(rows: Rec[], add: AddEntry): void {
  for (const f of rows) {
    if (f.PermissionsRead !== true && f.PermissionsEdit !== true) continue;
    add(f.ParentId, 'fieldPermissions', {
      editable: f.PermissionsEdit === true,
      field: String(f.Field),
      readable: f.PermissionsRead === true,
    });
  }
}

/** PermissionSetTabSetting rows: a profile says tabVisibilities (DefaultOn / DefaultOff), a permission set tabSettings (Visible / Available). */
function addTabSettings(
  rows: Rec[],
  setOf: (parentId: unknown) => PermissionSetContents | undefined,
  add: AddEntry,
): void {
  for (const t of rows) {
    const parent = setOf(t.ParentId);
    const visibility = String(t.Visibility);
    if (!parent || !TAB_SETTING[visibility]) continue;
    if (parent.header.kind === 'profile') add(t.ParentId, 'tabVisibilities', { tab: String(t.Name), visibility });
    else add(t.ParentId, 'tabSettings', { tab: String(t.Name), visibility: TAB_SETTING[visibility] });
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
