import type { Connection } from '@salesforce/core';
import { fieldText } from '../org-api/field-text.js';
import { ECA_TYPES, ecaFullName, ecaValues, type EcaSpec, type EcaTypeName } from './eca.js';

export type ExistingApp =
  /** the org has the app with the settings of the spec: nothing to deploy */
  | { state: 'same' }
  /** the org has the app, with these settings differing (element: org value → wanted value) */
  | { state: 'different'; differences: string[] }
  | { state: 'absent' }
  /** the org couldn't be asked (an old API version, no access): deploy and let the org decide */
  | { state: 'unknown'; reason: string };

type Read = Record<string, unknown> & { fullName?: string };

// these describe the app to people; a difference in them doesn't change what the app allows
const COSMETIC = new Set(['label', 'description', 'contactEmail']);

const norm = (element: string, v: unknown): string => {
  if (v === undefined || v === null || v === '')
    return element.startsWith('is') || element.startsWith('should') ? 'false' : '';
  if (element.startsWith('commaSeparated')) {
    return fieldText(v)
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean)
      .sort()
      .join(',');
  }
  if (element === 'clientCredentialsFlowUser') return fieldText(v).toLowerCase();
  return fieldText(v);
};

/**
 * Reads the app's components (readMetadata) and compares them with what the spec would deploy, so a re-run can say
 * "already done" without deploying. Any failure to read answers 'unknown' rather than throwing.
 */
export async function compareWithOrg(conn: Connection, spec: EcaSpec): Promise<ExistingApp> {
  const wanted = ecaValues(spec);
  const found: Partial<Record<EcaTypeName, Read>> = {};
  try {
    const reads = await Promise.all(
      ECA_TYPES.map(async (type) => {
        // jsforce's type list predates External Client Apps: the type name is passed through as is
        const result = (await conn.metadata.read(
          type as Parameters<typeof conn.metadata.read>[0],
          namesOf(type, spec.appName),
        )) as unknown;
        const recs = (Array.isArray(result) ? result : [result]) as Array<Read | undefined>;
        return [type, recs.filter((r): r is Read => !!r?.fullName)] as const;
      }),
    );
    for (const [type, recs] of reads) {
      // policies: ours, or the org's generated default policy where the org keeps them instead (whichever matches)
      const rec = recs.find((r) => differencesOf(type, r, wanted[type]).length === 0) ?? recs[0];
      if (rec) found[type] = rec;
    }
  } catch (e) {
    return { state: 'unknown', reason: e instanceof Error ? e.message : String(e) };
  }
  if (!found.ExternalClientApplication) return { state: 'absent' };
  const differences: string[] = [];
  for (const type of ECA_TYPES) {
    const rec = found[type];
    if (!rec) {
      differences.push(`${ecaFullName(type, spec.appName)} (${type}) is missing`);
      continue;
    }
    differences.push(...differencesOf(type, rec, wanted[type]));
  }
  return differences.length ? { state: 'different', differences } : { state: 'same' };
}

/**
 * The names a component may have in the org. OAuth policies: ours, and `<OauthSettingsName>_defaultPolicy`, which the
 * org generates for an app deployed without policies; whether policies deployed under another name replace it,
 * stand beside it, or are stored in it is unconfirmed (docs/salesforce-behaviour.md), so both are read.
 */
function namesOf(type: EcaTypeName, appName: string): string[] {
  const own = ecaFullName(type, appName);
  return type === 'ExtlClntAppOauthConfigurablePolicies'
    ? [own, `${ecaFullName('ExtlClntAppOauthSettings', appName)}_defaultPolicy`]
    : [own];
}

function differencesOf(type: EcaTypeName, rec: Read, wanted: Record<string, unknown>): string[] {
  const differences: string[] = [];
  for (const [element, value] of Object.entries(wanted)) {
    if (COSMETIC.has(element) || value === undefined) continue;
    const have = norm(element, rec[element]);
    const want = norm(element, value);
    if (have !== want) differences.push(`${type}.${element}: ${have || '(none)'} → ${want}`);
  }
  return differences;
}
