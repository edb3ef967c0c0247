/**
 * `create --from-user`: the old user's effective access as the generator's input, and, at the end, the comparison
 * of the old user with the new one, with a warning for every gap.
 */
import type { Connection } from '@salesforce/core';
import type { ConversionInput, OmittedEntry } from '../permissions/convert.js';
import type { PermissionSetDoc } from '../permissions/model.js';
import { readEffectiveAccess, type AccessSource, type EffectiveAccess } from '../access-reader/effective-access.js';
import { mergeContributions } from '../access-reader/merge-access.js';
import { applyOrgRules } from '../access-reader/org-rules.js';
import { PermissionSetReader } from '../access-reader/read-permission-sets.js';
import { compareAccess, type Comparison, type Side } from '../compare/compare.js';
import { explainFromConversion } from '../compare/explain.js';
import { gapWarnings } from '../compare/render.js';
import { userSide } from '../compare/from-org.js';
import { readUsage } from '../access-reader/usage-logs.js';
import { narrowToUsage, type UsageNarrowing } from '../permissions/narrow-to-usage.js';

export type FromUser = {
  access: EffectiveAccess;
  /** the access under the org's rules, ready for the converter */
  input: ConversionInput;
  /** what the org's rules took out (unknown permissions, connected apps…), and what --narrow-to-usage left out */
  omitted: OmittedEntry[];
  /** --narrow-to-usage: the logs read, the objects kept and left out */
  usage?: UsageNarrowing;
};

/**
 * Reads the old user's effective access and prepares it for conversion (the user's grants, spelled as the org spells
 * them); with `usageDays`, narrowed to the objects the user touched through the API in the usage logs of that window.
 */
export async function readFromUser(
  conn: Connection,
  username: string,
  options: { usageDays?: number } = {},
): Promise<FromUser> {
  const reader = new PermissionSetReader(conn);
  const [access, knownUserPermissions] = await Promise.all([
    readEffectiveAccess(conn, username, reader),
    reader.knownUserPermissions(),
  ]);
  const prepared = applyOrgRules(access.doc, { knownUserPermissions });
  if (options.usageDays === undefined) return { access, input: prepared.input, omitted: prepared.omitted };
  const narrowed = narrowToUsage(prepared.input, await readUsage(conn, access.user, options.usageDays));
  return { access, input: narrowed.input, omitted: [...prepared.omitted, ...narrowed.omitted], usage: narrowed.usage };
}

export type FromUserComparison = {
  from: { username: string; profile?: string; sources: AccessSource[] };
  comparison: Comparison;
  /**
   * one per gap not said already (grouped when a section has many of one kind): what the conversion left out on
   * purpose was said once, as a "Left out" warning or in the high-risk and usage blocks
   */
  warnings: string[];
};

/**
 * Compares the old user with the new one: the new user's effective access as the org now holds it when the user
 * exists, else (dry run, or nothing created) the generated permission sets.
 */
export async function compareWithNewUser(
  conn: Connection,
  from: FromUser,
  generated: { docs: PermissionSetDoc[]; omitted: OmittedEntry[] },
  target: { username: string; existsInOrg: boolean },
): Promise<FromUserComparison> {
  let second: Side;
  if (target.existsInOrg) {
    second = userSide(await readEffectiveAccess(conn, target.username)).side;
  } else {
    const merged = mergeContributions(
      generated.docs.map((d) => ({ source: `permissionSet:${d.fullName}`, sections: d.sections })),
    );
    second = { label: `${target.username} (planned)`, sections: merged.sections, grantSources: merged.grantSources };
  }
  const companion = generated.docs.find((d) => !d.license);
  const explain = explainFromConversion({ omitted: generated.omitted, companion }, from.omitted);
  const comparison = compareAccess(userSide(from.access).side, second, { explain });
  const said = new Set([...from.omitted, ...generated.omitted].map((o) => o.reason));
  return {
    from: { username: from.access.user.username, profile: from.access.user.profile, sources: from.access.sources },
    comparison,
    warnings: gapWarnings({ ...comparison, rows: comparison.rows.filter((r) => !said.has(r.why?.reason ?? '')) }),
  };
}
