/**
 * `create --from-user`: the old user's effective access as the generator's input, and, at the end, the comparison
 * of the old user with the new one, with a warning for every gap.
 */
import type { Connection } from '@salesforce/core';
import type { ConversionInput, OmittedEntry } from '../permissions/convert.js';
import type { PermissionSetDoc } from '../permissions/model.js';
import { readEffectiveAccess, type AccessSource, type EffectiveAccess } from '../org-access/effective-access.js';
import { mergeContributions } from '../org-access/merge-access.js';
import { applyOrgRules } from '../org-access/org-rules.js';
import { PermissionSetReader } from '../org-access/read-permission-sets.js';
import { compareAccess, type Comparison, type Side } from '../compare/compare.js';
import { explainFromConversion } from '../compare/explain.js';
import { gapWarnings } from '../compare/render.js';
import { userSide } from '../compare/from-org.js';

export type FromUser = {
  access: EffectiveAccess;
  /** the access under the org's rules, ready for the converter */
  input: ConversionInput;
  /** what the org's rules took out (unknown permissions, connected apps…) */
  omitted: OmittedEntry[];
};

/** Reads the old user's effective access and prepares it for conversion (the user's grants, spelled as the org spells them). */
export async function readFromUser(conn: Connection, username: string): Promise<FromUser> {
  const reader = new PermissionSetReader(conn);
  const [access, knownUserPermissions] = await Promise.all([readEffectiveAccess(conn, username, reader), reader.knownUserPermissions()]);
  const prepared = applyOrgRules(access.doc, { knownUserPermissions });
  return { access, input: prepared.input, omitted: prepared.omitted };
}

export type FromUserComparison = {
  from: { username: string; profile?: string; sources: AccessSource[] };
  comparison: Comparison;
  /** one per gap (grouped when a section has many of one kind) */
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
  target: { username: string; existsInOrg: boolean }
): Promise<FromUserComparison> {
  let second: Side;
  if (target.existsInOrg) {
    second = userSide(await readEffectiveAccess(conn, target.username)).side;
  } else {
    const merged = mergeContributions(generated.docs.map((d) => ({ source: `permissionSet:${d.fullName}`, sections: d.sections })));
    second = { label: `${target.username} (planned)`, sections: merged.sections, grantSources: merged.grantSources };
  }
  const companion = generated.docs.find((d) => !d.license);
  const explain = explainFromConversion({ omitted: generated.omitted, companion }, from.omitted);
  const comparison = compareAccess(userSide(from.access).side, second, { explain });
  return {
    from: { username: from.access.user.username, profile: from.access.user.profile, sources: from.access.sources },
    comparison,
    warnings: gapWarnings(comparison),
  };
}
