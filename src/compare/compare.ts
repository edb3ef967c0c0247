/**
 * Side-by-side comparison of two sets of access (two users, or a user and permission sets): per object, field,
 * user permission and other access, what the second lacks, what it has beyond the first, and why.
 */
import type { Entry } from '../permissions/model.js';
import { sectionShape, type GrantSources } from '../access-reader/merge-access.js';
import { permissionLabel, type PermissionLabels } from '../permissions/labels.js';

export type AccessCategory = 'object' | 'field' | 'userPermission' | 'other';

/**
 * Why the second lacks something: a license or UI rule, a deliberate omission (excluded, high risk left out by default,
 * not used in the usage logs), or simply not granted.
 */
export type GapKind =
  | 'license'
  | 'ui'
  | 'inherent'
  | 'profile-only'
  | 'excluded'
  | 'high-risk'
  | 'not-used'
  | 'unknown-to-org'
  | 'omitted'
  | 'not-granted';

export type GapReason = { kind: GapKind; reason: string };

/** Explains a gap of the second side, e.g. from the conversion that produced it. */
export type Explain = (section: string, name: string, lacks: readonly string[]) => GapReason | undefined;

export type Side = {
  /** how the report names this side: a username, or permission set names */
  label: string;
  /** grants by metadata section (ProfileDoc or PermissionSetDoc sections; tab visibilities are understood) */
  sections: Partial<Record<string, Entry[]>>;
  grantSources?: GrantSources;
};

export type CompareRow = {
  category: AccessCategory;
  /** permission set section, e.g. objectPermissions, classAccesses */
  section: string;
  name: string;
  /** a user permission's admin-facing label (what Setup shows), when known */
  label?: string;
  /** rights held: read, create, edit, delete, viewAll, modifyAll, viewAllFields / read, edit / enabled / available, visible */
  first: string[];
  second: string[];
  /** held by the first, not by the second */
  lacks: string[];
  /** held by the second, not by the first */
  beyond: string[];
  status: 'same' | 'lacks' | 'beyond' | 'differs';
  /** set when the second lacks something */
  why?: GapReason;
  /** where the first's rights come from (profile:…, permissionSet:…, group:…/…), when known */
  firstSources?: string[];
  secondSources?: string[];
};

export type CategoryCounts = { compared: number; same: number; lacks: number; beyond: number; differs: number };

export type Comparison = {
  first: string;
  second: string;
  /** rows that differ (all rows with includeSame), objects first, then fields, user permissions, other access */
  rows: CompareRow[];
  summary: Record<AccessCategory, CategoryCounts>;
  /** gaps of the second side by why */
  gapsByKind: Partial<Record<GapKind, number>>;
};

const RIGHT: Readonly<Record<string, string>> = {
  allowRead: 'read',
  allowCreate: 'create',
  allowEdit: 'edit',
  allowDelete: 'delete',
  viewAllRecords: 'viewAll',
  modifyAllRecords: 'modifyAll',
  viewAllFields: 'viewAllFields',
  readable: 'read',
  editable: 'edit',
  enabled: 'enabled',
  visible: 'visible',
};
const RIGHT_ORDER = [
  'read',
  'create',
  'edit',
  'delete',
  'viewAll',
  'modifyAll',
  'viewAllFields',
  'enabled',
  'available',
  'visible',
];
const CATEGORY_ORDER: AccessCategory[] = ['object', 'field', 'userPermission', 'other'];

export function categoryOf(section: string): AccessCategory {
  if (section === 'objectPermissions') return 'object';
  if (section === 'fieldPermissions') return 'field';
  if (section === 'userPermissions') return 'userPermission';
  return 'other';
}

type Flat = Map<string, { section: string; name: string; rights: Set<string> }>;

/** Every granted right of a side, keyed `section\0name`. */
function flatten(sections: Side['sections']): Flat {
  const out: Flat = new Map();
  for (const [inputSection, entries] of Object.entries(sections)) {
    const shape = sectionShape(inputSection);
    for (const e of entries ?? []) {
      const name = String(e[shape.key] ?? '');
      if (!name) continue;
      const rights = new Set<string>();
      for (const g of shape.grants) {
        if (g === 'visibility') {
          const v = String(e.visibility ?? '');
          if (v === 'Visible' || v === 'DefaultOn') rights.add('available').add('visible');
          else if (v === 'Available' || v === 'DefaultOff') rights.add('available');
        } else if (e[g] === true) rights.add(RIGHT[g] ?? g);
      }
      if (rights.size === 0) continue;
      const id = `${shape.section}\u0000${name}`;
      const hit = out.get(id);
      if (hit) for (const r of rights) hit.rights.add(r);
      else out.set(id, { section: shape.section, name, rights });
    }
  }
  return out;
}

const ordered = (rights: Iterable<string>): string[] =>
  [...rights].sort((a, b) => RIGHT_ORDER.indexOf(a) - RIGHT_ORDER.indexOf(b) || (a < b ? -1 : a > b ? 1 : 0));

function sourcesOf(sources: GrantSources | undefined, section: string, name: string): string[] | undefined {
  const byGrant = sources?.[section]?.[name];
  if (!byGrant) return undefined;
  return [...new Set(Object.values(byGrant).flat())].sort();
}

/** Compares two sides entry by entry. Pure. */
export function compareAccess(
  first: Side,
  second: Side,
  options: { explain?: Explain; includeSame?: boolean; permissionLabels?: PermissionLabels } = {},
): Comparison {
  const a = flatten(first.sections);
  const b = flatten(second.sections);
  const summary = Object.fromEntries(
    CATEGORY_ORDER.map((c) => [c, { compared: 0, same: 0, lacks: 0, beyond: 0, differs: 0 }]),
  ) as Record<AccessCategory, CategoryCounts>;
  const gapsByKind: Comparison['gapsByKind'] = {};
  const rows: CompareRow[] = [];
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(id);
    const y = b.get(id);
    const section = (x ?? y)!.section;
    const name = (x ?? y)!.name;
    const category = categoryOf(section);
    const firstRights = x?.rights ?? new Set<string>();
    const secondRights = y?.rights ?? new Set<string>();
    const lacks = ordered([...firstRights].filter((r) => !secondRights.has(r)));
    const beyond = ordered([...secondRights].filter((r) => !firstRights.has(r)));
    const status: CompareRow['status'] =
      lacks.length && beyond.length ? 'differs' : lacks.length ? 'lacks' : beyond.length ? 'beyond' : 'same';
    summary[category].compared++;
    summary[category][status]++;
    if (status === 'same' && !options.includeSame) continue;
    const row: CompareRow = {
      category,
      section,
      name,
      first: ordered(firstRights),
      second: ordered(secondRights),
      lacks,
      beyond,
      status,
    };
    const label = category === 'userPermission' ? permissionLabel(name, options.permissionLabels) : undefined;
    if (label) row.label = label;
    if (lacks.length) {
      row.why = options.explain?.(section, name, lacks) ?? {
        kind: 'not-granted',
        reason: `not granted to ${second.label}`,
      };
      gapsByKind[row.why.kind] = (gapsByKind[row.why.kind] ?? 0) + 1;
    }
    const fs = sourcesOf(first.grantSources, section, name);
    if (fs) row.firstSources = fs;
    const ss = sourcesOf(second.grantSources, section, name);
    if (ss) row.secondSources = ss;
    rows.push(row);
  }
  rows.sort(
    (p, q) =>
      CATEGORY_ORDER.indexOf(p.category) - CATEGORY_ORDER.indexOf(q.category) ||
      (p.section < q.section ? -1 : p.section > q.section ? 1 : 0) ||
      (p.name < q.name ? -1 : p.name > q.name ? 1 : 0),
  );
  return { first: first.label, second: second.label, rows, summary, gapsByKind };
}

/** Only the rows where the second lacks something. */
export const gaps = (c: Comparison): CompareRow[] => c.rows.filter((r) => r.lacks.length > 0);
