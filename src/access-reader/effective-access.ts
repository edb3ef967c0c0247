/**
 * The effective access of an existing user: the profile's own permission set, every assigned permission set, and
 * the permission sets of every assigned permission set group (less what the group's MutingPermissionSet mutes),
 * merged: a grant anywhere is a grant, and each grant keeps the list of its sources.
 */
import type { Connection } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import type { Entry } from '../permissions/model.js';
import type { ProfileDoc } from '../profile/read-profile.js';
import { soqlInList, soqlLiteral } from '../org-api/soql.js';
import { fieldText } from '../org-api/field-text.js';
import { PermissionSetReader, type PermissionSetContents, type ReadResult } from './read-permission-sets.js';
import type { UnresolvedEntity } from './setup-entities.js';
import { mergeContributions, type Contribution, type GrantSources, type MutedGrant } from './merge-access.js';
import { chunks, id15, queryAll, type ReadStats } from './query.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'access-reader');

export type UserRef = {
  id: string;
  username: string;
  name?: string;
  isActive: boolean;
  profile?: string;
  userLicense?: string;
};

export type AccessSource = {
  /** the name used in grant sources: `profile:<name>`, `permissionSet:<name>`, `group:<group>/<set>` */
  source: string;
  kind: 'profile' | 'permissionSet' | 'permissionSetGroup' | 'muting';
  name: string;
  label: string;
  group?: string;
};

export type EffectiveAccess = {
  user: UserRef;
  sources: AccessSource[];
  /** the merged grants (tab visibilities as tab settings); fullName is the username */
  doc: ProfileDoc;
  grantSources: GrantSources;
  /** grants a group's permission sets give that its muting permission set removes */
  muted: MutedGrant[];
  unresolved: UnresolvedEntity[];
  warnings: string[];
  stats: ReadStats;
};

type Rec = Record<string, unknown>;

/**
 * Reads a user's effective access. The user, their assignments and the PermissionSet describe go out together;
 * then the group components; then one read of every permission set involved.
 *
 * @throws SfError UserNotFound
 */
export async function readEffectiveAccess(
  conn: Connection,
  username: string,
  reader = new PermissionSetReader(conn),
): Promise<EffectiveAccess> {
  const stats = reader.stats;
  const [users, assignments] = await Promise.all([
    queryAll<Rec>(
      conn,
      `SELECT Id, Username, Name, IsActive, ProfileId, Profile.Name, Profile.UserLicense.Name FROM User WHERE Username = ${soqlLiteral(username)}`,
      stats,
    ),
    queryAll<Rec>(
      conn,
      `SELECT PermissionSetId, PermissionSetGroupId, PermissionSetGroup.DeveloperName FROM PermissionSetAssignment WHERE Assignee.Username = ${soqlLiteral(username)}`,
      stats,
    ),
    reader.userPermissionFields(),
  ]);
  const u = users[0];
  if (!u) throw messages.createError('error.UserNotFound', [username]);
  const user = userRef(u);
  const assigned = assignedSets(assignments);
  const components = await readGroupComponents(conn, assigned.groups, stats);
  const { sets, reads } = await readInvolvedSets(reader, String(u.ProfileId), assigned.direct, components);
  const { sources, contributions, muting } = attribute(
    sets,
    assigned.direct,
    groupsOfSets(assigned.groups, components),
  );
  const merged = mergeContributions(contributions, muting);
  return {
    user,
    sources,
    doc: { fullName: user.username, userLicense: user.userLicense, sections: merged.sections },
    grantSources: merged.grantSources,
    muted: merged.muted,
    unresolved: reads.flatMap((r) => r.unresolved),
    warnings: [...new Set(reads.flatMap((r) => r.warnings))],
    stats,
  };
}

function userRef(u: Rec): UserRef {
  const profile = u.Profile as { Name?: string; UserLicense?: { Name?: string } | null } | null | undefined;
  return {
    id: String(u.Id),
    username: String(u.Username),
    name: typeof u.Name === 'string' ? u.Name : undefined,
    isActive: u.IsActive === true,
    profile: profile?.Name,
    userLicense: profile?.UserLicense?.Name ?? undefined,
  };
}

/** What the assignments give: permission set groups (id15 -> DeveloperName) and directly assigned set ids. */
function assignedSets(assignments: Rec[]): { groups: Map<string, string>; direct: Set<string> } {
  const groups = new Map<string, string>();
  const direct = new Set<string>();
  for (const a of assignments) {
    if (a.PermissionSetGroupId) {
      const g = a.PermissionSetGroup as { DeveloperName?: string } | null | undefined;
      groups.set(id15(fieldText(a.PermissionSetGroupId)), g?.DeveloperName ?? fieldText(a.PermissionSetGroupId));
    } else if (a.PermissionSetId) direct.add(fieldText(a.PermissionSetId));
  }
  return { groups, direct };
}

/** The PermissionSetGroupComponent rows of the groups (their permission sets and muting permission sets). */
async function readGroupComponents(conn: Connection, groups: Map<string, string>, stats: ReadStats): Promise<Rec[]> {
  if (!groups.size) return [];
  const pages = await Promise.all(
    chunks([...groups.keys()], 200).map((ids) =>
      queryAll<Rec>(
        conn,
        `SELECT PermissionSetGroupId, PermissionSetId FROM PermissionSetGroupComponent WHERE PermissionSetGroupId IN ${soqlInList(ids)}`,
        stats,
      ),
    ),
  );
  return pages.flat();
}

/** The groups each component set belongs to: set id15 -> group names. */
function groupsOfSets(groups: Map<string, string>, components: Rec[]): Map<string, string[]> {
  const groupsOfSet = new Map<string, string[]>();
  for (const c of components) {
    const set = id15(String(c.PermissionSetId));
    const list = groupsOfSet.get(set) ?? [];
    list.push(groups.get(id15(String(c.PermissionSetGroupId))) ?? String(c.PermissionSetGroupId));
    groupsOfSet.set(set, list);
  }
  return groupsOfSet;
}

/** One read of the profile's own set, the assigned sets and the group components (muting sets read apart). */
async function readInvolvedSets(
  reader: PermissionSetReader,
  profileId: string,
  direct: Set<string>,
  components: Rec[],
): Promise<{ sets: Map<string, PermissionSetContents>; reads: ReadResult[] }> {
  const ids = [...new Set([...direct, ...components.map((c) => String(c.PermissionSetId))])];
  const ownProfile = `(IsOwnedByProfile = true AND ProfileId = ${soqlLiteral(profileId)})`;
  const wheres = ids.length
    ? chunks(ids, 200).map((c, i) => (i === 0 ? `${ownProfile} OR Id IN ${soqlInList(c)}` : `Id IN ${soqlInList(c)}`))
    : [ownProfile];
  const reads = await Promise.all(wheres.map((w) => reader.read(w)));
  const sets = new Map<string, PermissionSetContents>();
  for (const r of reads) for (const s of r.sets) sets.set(id15(s.header.id), s);
  // a component that is no PermissionSet is the group's MutingPermissionSet (its own sObject)
  const notFound = [...new Set(components.map((c) => String(c.PermissionSetId)).filter((id) => !sets.has(id15(id))))];
  if (notFound.length) {
    const mutingRead = await reader.readMuting(notFound);
    reads.push(mutingRead);
    for (const s of mutingRead.sets) sets.set(id15(s.header.id), s);
  }
  return { sets, reads };
}

/** Names each set's grants by where they reach the user from: the profile, a direct assignment, a group (or its muting). */
function attribute(
  sets: Map<string, PermissionSetContents>,
  direct: Set<string>,
  groupsOfSet: Map<string, string[]>,
): { sources: AccessSource[]; contributions: Contribution[]; muting: Map<string, Record<string, Entry[]>> } {
  const sources: AccessSource[] = [];
  const contributions: Contribution[] = [];
  const muting = new Map<string, Record<string, Entry[]>>();
  for (const [id, set] of sets) {
    const h = set.header;
    if (h.kind === 'group') continue; // a group's aggregate: its components are read instead
    if (h.kind === 'profile') {
      const source = `profile:${h.name}`;
      sources.push({ source, kind: 'profile', name: h.name, label: h.label });
      contributions.push({ source, sections: set.sections });
      continue;
    }
    if (direct.has(h.id) || [...direct].some((d) => id15(d) === id)) {
      const source = `permissionSet:${h.name}`;
      sources.push({ source, kind: h.kind === 'muting' ? 'muting' : 'permissionSet', name: h.name, label: h.label });
      if (h.kind !== 'muting') contributions.push({ source, sections: set.sections });
    }
    for (const group of groupsOfSet.get(id) ?? []) {
      const source = `group:${group}/${h.name}`;
      if (h.kind === 'muting') {
        const m = muting.get(group) ?? {};
        for (const [section, entries] of Object.entries(set.sections)) (m[section] ??= []).push(...entries);
        muting.set(group, m);
        sources.push({ source, kind: 'muting', name: h.name, label: h.label, group });
      } else {
        sources.push({ source, kind: 'permissionSetGroup', name: h.name, label: h.label, group });
        contributions.push({ source, group, sections: set.sections });
      }
    }
  }
  return { sources, contributions, muting };
}

/** The sources of one grant, e.g. `sourcesOf(access, 'objectPermissions', 'Account', 'allowEdit')`. */
export function sourcesOf(
  access: Pick<EffectiveAccess, 'grantSources'>,
  section: string,
  name: string,
  grant: string,
): string[] {
  return access.grantSources[section]?.[name]?.[grant] ?? [];
}
