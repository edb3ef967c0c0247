/**
 * Comparisons against the org: a user's effective access against another user's, or against named permission sets;
 * gaps explained by converting the first side with the org's license rules (what `convert-profile --from-user` and
 * `create --from-user` would carry, move to the companion set, or omit).
 */
import type { Connection } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import {
  convertToIntegrationPermissionSets,
  type ConversionResult,
  type OmittedEntry,
} from '../permissions/convert.js';
import { readEffectiveAccess, type AccessSource, type EffectiveAccess } from '../access-reader/effective-access.js';
import { mergeContributions } from '../access-reader/merge-access.js';
import { applyOrgRules, readOrgRules } from '../access-reader/org-rules.js';
import { PermissionSetReader } from '../access-reader/read-permission-sets.js';
import { soqlInList } from '../org-api/soql.js';
import { splitNamespace } from '../org-api/assignments.js';
import type { ReadStats } from '../access-reader/query.js';
import { compareAccess, type Comparison, type Side } from './compare.js';
import { explainFromConversion } from './explain.js';
import { leaveOutHighRisk } from '../permissions/least-privilege.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.compare');

export type SideSpec = { user: string } | { permissionSets: string[] };

export type SideSummary = {
  kind: 'user' | 'permissionSets';
  label: string;
  profile?: string;
  userLicense?: string;
  sources: AccessSource[];
};

export type OrgComparison = {
  first: SideSummary;
  second: SideSummary;
  comparison: Comparison;
  warnings: string[];
  stats: ReadStats;
};

/** Named permission sets as one side: their grants merged, each grant's source kept. */
export async function readPermissionSetsSide(
  reader: PermissionSetReader,
  names: readonly string[],
): Promise<{ side: Side; summary: SideSummary; warnings: string[] }> {
  // PermissionSet.Name holds no namespace prefix: ask by the local name, match the qualified one
  const read = await reader.read(
    `IsOwnedByProfile = false AND Name IN ${soqlInList(names.map((n) => splitNamespace(n).name))}`,
  );
  const found = new Map(read.sets.map((s) => [s.header.name.toLowerCase(), s]));
  const missing = names.filter((n) => !found.has(n.toLowerCase()));
  if (missing.length) throw messages.createError('error.PermissionSetNotFound', [missing.join(', ')]);
  const sets = names.map((n) => found.get(n.toLowerCase())!);
  const merged = mergeContributions(
    sets.map((s) => ({ source: `permissionSet:${s.header.name}`, sections: s.sections })),
  );
  const label = sets.map((s) => s.header.name).join(' + ');
  return {
    side: { label, sections: merged.sections, grantSources: merged.grantSources },
    summary: {
      kind: 'permissionSets',
      label,
      sources: sets.map((s) => ({
        source: `permissionSet:${s.header.name}`,
        kind: 'permissionSet',
        name: s.header.name,
        label: s.header.label,
      })),
    },
    warnings: read.warnings,
  };
}

export const userSide = (access: EffectiveAccess): { side: Side; summary: SideSummary } => ({
  side: { label: access.user.username, sections: access.doc.sections, grantSources: access.grantSources },
  summary: {
    kind: 'user',
    label: access.user.username,
    profile: access.user.profile,
    userLicense: access.user.userLicense,
    sources: access.sources,
  },
});

/**
 * The conversion of a user's access under the org's rules, as convert-profile --from-user does it by default: gives
 * the omitted entries (with the org's unknown permissions and the high-risk ones left out) and the companion set
 * that explain a comparison's gaps.
 */
export function convertForExplanation(
  access: EffectiveAccess,
  rules: Awaited<ReturnType<typeof readOrgRules>>,
  keepPermissions: readonly string[] = [],
): { conversion: ConversionResult; omitted: OmittedEntry[] } {
  const prepared = applyOrgRules(access.doc, rules);
  // as the conversion does by default: high-risk user permissions left out, so their gaps read as deliberate
  const policy = leaveOutHighRisk(prepared.input, { keep: keepPermissions });
  const conversion = convertToIntegrationPermissionSets(policy.input, {
    name: 'Integration_Access',
    licensedUserPermissions: rules.licensedUserPermissions,
    permissionLabels: rules.permissionLabels,
  });
  return { conversion, omitted: [...prepared.omitted, ...policy.omitted] };
}

/** Reads both sides and compares them. */
export async function compareInOrg(
  conn: Connection,
  first: { user: string },
  second: SideSpec,
  options: { includeSame?: boolean; keepPermissions?: readonly string[] } = {},
): Promise<OrgComparison> {
  const reader = new PermissionSetReader(conn);
  const [firstAccess, secondRead, rules] = await Promise.all([
    readEffectiveAccess(conn, first.user, reader),
    'user' in second
      ? readEffectiveAccess(conn, second.user, reader).then((a) => ({ ...userSide(a), warnings: a.warnings }))
      : readPermissionSetsSide(reader, second.permissionSets),
    readOrgRules(conn, reader),
  ]);
  const a = userSide(firstAccess);
  const { conversion, omitted } = convertForExplanation(firstAccess, rules, options.keepPermissions);
  const comparison = compareAccess(a.side, secondRead.side, {
    explain: explainFromConversion(conversion, omitted),
    includeSame: options.includeSame,
    permissionLabels: rules.permissionLabels,
  });
  return {
    first: a.summary,
    second: secondRead.summary,
    comparison,
    warnings: [...new Set([...firstAccess.warnings, ...secondRead.warnings, ...rules.warnings])],
    stats: reader.stats,
  };
}
