/**
 * A profile's setup entity and tab access as Salesforce stores it: SetupEntityAccess and PermissionSetTabSetting rows
 * of the profile's own permission set (IsOwnedByProfile), rebuilt from the profile metadata the org keeps.
 */
import { XMLParser } from 'fast-xml-parser';
import { writeSetupEntityRows } from './setup-entities.js';
import type { OrgState, Rec } from './state.js';

const ELEMENTS = [
  'applicationVisibilities',
  'classAccesses',
  'customMetadataTypeAccesses',
  'customPermissions',
  'customSettingAccesses',
  'externalDataSourceAccesses',
  'flowAccesses',
  'pageAccesses',
  'tabVisibilities',
];
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true });

/** Rewrites the SetupEntityAccess / PermissionSetTabSetting rows of the profile's permission set. */
export function syncProfileRecords(org: OrgState, profile: Rec): void {
  const ps = org.find('PermissionSet', (p) => p.ProfileId === profile.Id && p.IsOwnedByProfile === true);
  const meta = org.profileMeta.get(profile.Id);
  if (!ps || !meta) return;
  const sections: Record<string, Array<Record<string, string>>> = {};
  for (const element of ELEMENTS) {
    const xml = meta.raw.get(element);
    if (!xml?.length) continue;
    const parsed = parser.parse(`<r>${xml.join('')}</r>`) as { r: Record<string, unknown> };
    const items = parsed.r[element];
    sections[element] = (Array.isArray(items) ? items : [items]) as Array<Record<string, string>>;
  }
  writeSetupEntityRows(org, ps, sections);
}
