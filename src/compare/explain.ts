/**
 * Why the converted access lacks something the original had: the conversion's own omissions (license, UI-only,
 * inherent, profile-only, excluded, unknown to the org) and what it moved to the companion permission set.
 */
import { Messages } from '@salesforce/core';
import type { ConversionResult, OmittedEntry } from '../permissions/convert.js';
import { INHERENT_USER_PERMISSIONS, SECTION_RULES, UI_ONLY_USER_PERMISSIONS } from '../permissions/license-rules.js';
import { sectionShape } from '../access-reader/merge-access.js';
import { isHighRiskOmission } from '../permissions/least-privilege.js';
import { isNotUsedOmission } from '../permissions/narrow-to-usage.js';
import type { Explain, GapKind, GapReason } from './compare.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.compare');
const convertMessages = Messages.loadMessages('sf-integration-user', 'permissions.convert');
const orgMessages = Messages.loadMessages('sf-integration-user', 'access-reader');

const UI = new Set<string>(SECTION_RULES.ui);
const PROFILE_ONLY = new Set<string>(SECTION_RULES.profileOnly);

const shapeSection = (section: string): string =>
  section === 'fieldLevelSecurities' ? 'fieldPermissions' : sectionShape(section).section;

/** The kind of an omission, from the rule tables (the reason text stays the converter's). */
export function omissionKind(o: OmittedEntry): GapKind {
  if (o.reason === convertMessages.getMessage('reason.excluded')) return 'excluded';
  if (o.reason === orgMessages.getMessage('reason.unknownPermission')) return 'unknown-to-org';
  if (isHighRiskOmission(o)) return 'high-risk';
  if (isNotUsedOmission(o)) return 'not-used';
  if (o.section === 'userPermissions') {
    if (INHERENT_USER_PERMISSIONS[o.name]) return 'inherent';
    if (UI_ONLY_USER_PERMISSIONS[o.name]) return 'ui';
  }
  if (UI.has(o.section)) return 'ui';
  if (PROFILE_ONLY.has(o.section)) return 'profile-only';
  return 'omitted';
}

/**
 * Explains the second side's gaps when it is (or holds) the result of converting the first: omitted entries keep
 * the converter's reason; entries the converter put in the companion set are a license gap when the second lacks
 * them (the companion isn't assigned, or the license rules moved them there).
 */
export function explainFromConversion(
  conversion: Pick<ConversionResult, 'omitted' | 'companion'>,
  alsoOmitted: readonly OmittedEntry[] = [],
): Explain {
  const reasons = new Map<string, GapReason>();
  for (const o of [...alsoOmitted, ...conversion.omitted]) {
    const id = `${shapeSection(o.section)}\u0000${o.name}`;
    if (!reasons.has(id)) reasons.set(id, { kind: omissionKind(o), reason: o.reason });
  }
  const companion = conversion.companion;
  for (const [section, entries] of Object.entries(companion?.sections ?? {})) {
    const shape = sectionShape(section);
    for (const e of entries ?? []) {
      const id = `${shape.section}\u0000${String(e[shape.key])}`;
      if (reasons.has(id)) continue;
      const ui =
        UI.has(section) || (section === 'userPermissions' && UI_ONLY_USER_PERMISSIONS[String(e.name)] !== undefined);
      reasons.set(
        id,
        ui
          ? { kind: 'ui', reason: messages.getMessage('reason.uiCompanion', [companion!.fullName]) }
          : { kind: 'license', reason: messages.getMessage('reason.companion', [companion!.fullName]) },
      );
    }
  }
  return (section, name) => reasons.get(`${section}\u0000${name}`);
}
