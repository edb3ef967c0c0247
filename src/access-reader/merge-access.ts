/**
 * Merging grants from several permission sets into one document: a grant anywhere is a grant (booleans OR'ed, the
 * most visible tab setting wins), with the sources of every grant kept. A muting permission set removes what it
 * names from its own group's permission sets only, as Salesforce does.
 */
import { PERMISSION_SET_SECTIONS, type Entry, type SectionName } from '../permissions/model.js';
import { sortSections } from './read-permission-sets.js';

export type Contribution = {
  /** how the report names the source: `profile:<name>`, `permissionSet:<name>`, `group:<group>/<set>` */
  source: string;
  /** the group this set belongs to, for muting */
  group?: string;
  sections: Record<string, Entry[]>;
};

/** section -> entry key -> grant field -> sources */
export type GrantSources = Record<string, Record<string, Record<string, string[]>>>;

export type MutedGrant = { section: string; name: string; grant: string; group: string; source: string };

export type MergedAccess = { sections: Record<string, Entry[]>; grantSources: GrantSources; muted: MutedGrant[] };

const TAB_RANK: Readonly<Record<string, number>> = { Available: 1, DefaultOff: 1, Visible: 2, DefaultOn: 2 };
const TAB_NAME = ['', 'Available', 'Visible'];

/** The key field and the grant fields of a section (profile-only names mapped to permission set ones). */
export function sectionShape(section: string): { section: string; key: string; grants: readonly string[] } {
  if (section === 'tabVisibilities' || section === 'tabSettings')
    return { section: 'tabSettings', key: 'tab', grants: ['visibility'] };
  if (section in PERMISSION_SET_SECTIONS) {
    const spec = PERMISSION_SET_SECTIONS[section as SectionName];
    return { section, key: spec.key, grants: spec.grants };
  }
  if (section === 'connectedAppAccesses') return { section, key: 'connectedApp', grants: ['enabled'] };
  return { section, key: 'name', grants: ['enabled'] };
}

/**
 * Merges contributions. Tab visibilities of profiles become tab settings (Visible / Available) so one tab has one
 * entry. `muting` maps a group to what its muting permission set names.
 */
export function mergeContributions(
  contributions: readonly Contribution[],
  muting: ReadonlyMap<string, Record<string, Entry[]>> = new Map(),
): MergedAccess {
  const merged = new Map<string, Map<string, Entry>>();
  const into: Merge = { grantSources: {}, muted: [], mutedBy: mutedGrants(muting) };
  for (const c of contributions) {
    for (const [inputSection, entries] of Object.entries(c.sections)) {
      const shape = sectionShape(inputSection);
      let target = merged.get(shape.section);
      if (!target) merged.set(shape.section, (target = new Map<string, Entry>()));
      for (const e of entries) {
        const key = String(e[shape.key] ?? '');
        if (!key) continue;
        const known = target.get(key);
        const fresh: Entry = { [shape.key]: key };
        // an entry new to the merge is kept only when it grants something (not all muted)
        if (mergeEntry(into, c, shape, key, e, known ?? fresh) && !known) target.set(key, fresh);
      }
    }
  }
  const sections: Record<string, Entry[]> = {};
  for (const [section, entries] of merged) {
    if (entries.size) sections[section] = [...entries.values()];
  }
  sortSections(sections);
  return { sections, grantSources: into.grantSources, muted: into.muted };
}

type Merge = { grantSources: GrantSources; muted: MutedGrant[]; mutedBy: Map<string, Set<string>> };
type Shape = ReturnType<typeof sectionShape>;

const grantKey = (section: string, key: string, grant: string): string => `${section}\u0000${key}\u0000${grant}`;

/** What each group's muting permission set mutes: group -> grant keys. */
function mutedGrants(muting: ReadonlyMap<string, Record<string, Entry[]>>): Map<string, Set<string>> {
  const mutedBy = new Map<string, Set<string>>();
  for (const [group, sections] of muting) {
    const set = new Set<string>();
    for (const [section, entries] of Object.entries(sections)) {
      const shape = sectionShape(section);
      for (const e of entries)
        for (const g of shape.grants) if (e[g] === true) set.add(grantKey(shape.section, String(e[shape.key]), g));
    }
    mutedBy.set(group, set);
  }
  return mutedBy;
}

/** Adds one entry's grants to `out` (the merged entry), with their source; true when it granted anything. */
function mergeEntry(into: Merge, c: Contribution, shape: Shape, key: string, e: Entry, out: Entry): boolean {
  let any = false;
  for (const g of shape.grants) {
    if (g === 'visibility') {
      const rank = TAB_RANK[String(e.visibility)] ?? 0;
      if (rank === 0) continue;
      out.visibility = TAB_NAME[Math.max(rank, TAB_RANK[String(out.visibility)] ?? 0)];
    } else {
      if (out[g] === undefined) out[g] = false;
      if (e[g] !== true) continue;
      if (c.group && into.mutedBy.get(c.group)?.has(grantKey(shape.section, key, g))) {
        into.muted.push({ section: shape.section, name: key, grant: g, group: c.group, source: c.source });
        continue;
      }
      out[g] = true;
    }
    any = true;
    const bySection = (into.grantSources[shape.section] ??= {});
    const byKey = (bySection[key] ??= {});
    const list = (byKey[g] ??= []);
    if (!list.includes(c.source)) list.push(c.source);
  }
  return any;
}
