/**
 * What convert-profile prints beside the permission sets: omissions grouped by reason, grants per source of a
 * user's access.
 */
import type { OmittedEntry } from './convert.js';
import type { GrantSources } from '../access-reader/merge-access.js';
import type { AccessSource } from '../access-reader/effective-access.js';
import { isHighRiskOmission } from './least-privilege.js';
import { isNotUsedOmission } from './narrow-to-usage.js';

/**
 * Omissions grouped by section and reason, with a few names each: the full list is in --json. High-risk permissions
 * and unused objects left out are not here: they have their own blocks.
 */
export function groupOmissions(
  omitted: OmittedEntry[],
): Array<{ section: string; count: number; reason: string; examples: string }> {
  const groups = new Map<string, { section: string; reason: string; names: string[] }>();
  for (const o of omitted) {
    if (isHighRiskOmission(o) || isNotUsedOmission(o)) continue;
    const id = `${o.section}\u0000${o.reason}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { section: o.section, reason: o.reason, names: [] }));
    group.names.push(o.label ? `${o.name} (${o.label})` : o.name);
  }
  return [...groups.values()].map((g) => ({
    section: g.section,
    count: g.names.length,
    reason: g.reason,
    examples: g.names.length > 3 ? `${g.names.slice(0, 3).join(', ')}, …` : g.names.join(', '),
  }));
}

/** How many grants each source of a user's access gives (a grant given twice counts for both). */
export function sourceCounts(access: {
  sources: AccessSource[];
  grantSources: GrantSources;
}): Array<{ source: string; grants: number }> {
  const counts = new Map<string, number>(access.sources.map((s) => [s.source, 0]));
  for (const byName of Object.values(access.grantSources)) {
    for (const byGrant of Object.values(byName)) {
      for (const sources of Object.values(byGrant)) for (const s of sources) counts.set(s, (counts.get(s) ?? 0) + 1);
    }
  }
  return [...counts].map(([source, grants]) => ({ source, grants }));
}
