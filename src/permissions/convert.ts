/**
 * The profile → integration permission sets conversion: where each entry of the input goes (the licensed set, the
 * companion, or omitted with a reason), by the section rules in license-rules.ts and the facts in registry.ts.
 * Entries are reshaped in entry-shapes.ts; the warnings about the result are in conversion-warnings.ts.
 */
import { Messages } from '@salesforce/core';
import type { ProfileDoc } from '../profile/read-profile.js';
import {
  INHERENT_USER_PERMISSIONS,
  PROFILE_ONLY_REASONS,
  PSL_USER_PERMISSIONS,
  SECTION_RULES,
  UI_ONLY_USER_PERMISSIONS,
} from './license-rules.js';
import {
  INTEGRATION_PSL,
  PERMISSION_SET_SECTIONS,
  SECTION_ORDER,
  type Entry,
  type PermissionSetDoc,
  type SectionName,
} from './model.js';
import { permissionLabel, type PermissionLabels } from './labels.js';
import { genericName, hasContent, mergeInto, normalizeEntry, profileOnlyName, targetSection } from './entry-shapes.js';
import {
  dependencyWarnings,
  riskWarnings,
  unlicensedWarnings,
  unmatchedExclusionWarnings,
} from './conversion-warnings.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'permissions.convert');

/** Anything with sections of grants: a ProfileDoc, a PermissionSetDoc, or one built from flags. */
export type ConversionInput = Pick<ProfileDoc, 'sections'> & Partial<Omit<ProfileDoc, 'sections'>>;

export type ConversionOptions = {
  /** API name of the licensed permission set; the companion is `<name>_Companion` */
  name: string;
  label?: string;
  description?: string;
  /** put UI-only access (tabs, apps, Visualforce pages, UI-only user permissions) in the companion set */
  includeUi?: boolean;
  /** entry keys to leave out (user permission names, objects, fields, classes…), case-insensitive */
  excludePermissions?: string[];
  /** user permissions the Salesforce API Integration PSL carries; default: the table in license-rules.ts */
  licensedUserPermissions?: ReadonlySet<string>;
  /** the org's labels of user permissions (lower-case name -> label); default: the built-in table */
  permissionLabels?: PermissionLabels;
  /** high-risk user permissions kept on request (--keep-permission): the caller reports them, no warning each */
  acknowledgedHighRisk?: readonly string[];
};

/** `label`: a user permission's admin-facing label (what Setup shows), when known. */
export type OmittedEntry = { section: string; name: string; reason: string; label?: string };

/** Per input section: entries carried by the licensed set, put in the companion, omitted. */
export type SectionCounts = { carried: number; companion: number; omitted: number };

export type ConversionResult = {
  main: PermissionSetDoc;
  /** present only when it has content */
  companion?: PermissionSetDoc;
  omitted: OmittedEntry[];
  warnings: string[];
  /** keyed by the input's element name (`tabVisibilities`, `fieldPermissions`…) */
  counts: Record<string, SectionCounts>;
};

export const COMPANION_SUFFIX = '_Companion';

type Target = 'main' | 'companion';

const LICENSED = new Set<string>(SECTION_RULES.licensed);
const COMPANION_ONLY = new Set<string>(SECTION_RULES.companion);
const UI = new Set<string>(SECTION_RULES.ui);
const PROFILE_ONLY = new Set<string>(SECTION_RULES.profileOnly);

/**
 * Convert a profile's grants into a permission set licensed for the Salesforce API Integration PSL plus, when
 * needed, a companion permission set without license. Every grant of the input ends up in one of the two sets or
 * in `omitted` with a reason; entries that grant nothing are left out silently. Nothing is granted that the input
 * did not grant. Pure: the input is not changed.
 */
export function convertToIntegrationPermissionSets(
  input: ConversionInput,
  options: ConversionOptions,
): ConversionResult {
  const placed = new Placed(options.excludePermissions ?? [], options.permissionLabels);
  const warnings: string[] = [];
  if (input.userLicense !== undefined) {
    placed.omit(
      'userLicense',
      'userLicense',
      messages.getMessage('reason.userLicense', [input.userLicense, INTEGRATION_PSL]),
    );
  }
  if (input.custom !== undefined) placed.omit('custom', 'custom', messages.getMessage('reason.custom'));
  for (const [inputSection, entries] of Object.entries(input.sections)) {
    if (!entries) continue;
    if (PROFILE_ONLY.has(inputSection)) warnings.push(...omitProfileOnly(placed, inputSection, entries));
    else placeSection(placed, inputSection, entries, options);
  }

  const { main, companion } = buildSets(placed.sets, input, options);
  const labels = options.permissionLabels;
  const acknowledged = new Set((options.acknowledgedHighRisk ?? []).map((n) => n.toLowerCase()));
  warnings.push(
    ...unlicensedWarnings(placed.unlicensed, companion, labels),
    ...riskWarnings(main, companion, labels, acknowledged),
    ...dependencyWarnings([main, companion]),
    ...unmatchedExclusionWarnings(placed.unmatchedExclusions()),
  );
  return { main, companion, omitted: placed.omitted, warnings, counts: placed.counts };
}

/** What the conversion has placed so far: each set's entries, the omitted ones, the counts per input section. */
class Placed {
  public readonly sets: Record<Target, Map<SectionName, Map<string, Entry>>> = {
    main: new Map(),
    companion: new Map(),
  };
  public readonly omitted: OmittedEntry[] = [];
  public readonly counts: Record<string, SectionCounts> = {};
  /** user permissions put in the companion because the license isn't known to carry them */
  public readonly unlicensed: string[] = [];
  private readonly excluded = new Map<string, boolean>(); // lower-case name -> matched

  public constructor(
    excludePermissions: readonly string[],
    private readonly labels: PermissionLabels | undefined,
  ) {
    for (const name of excludePermissions) this.excluded.set(name.trim().toLowerCase(), false);
  }

  public omit(section: string, name: string, reason: string): void {
    const label = section === 'userPermissions' ? permissionLabel(name, this.labels) : undefined;
    this.omitted.push(label ? { section, name, reason, label } : { section, name, reason });
    this.count(section, 'omitted');
  }

  /** Whether --exclude-permission names the key (remembered, to report the names that matched nothing). */
  public isExcluded(key: string): boolean {
    const lower = key.toLowerCase();
    if (!this.excluded.has(lower)) return false;
    this.excluded.set(lower, true);
    return true;
  }

  public put(target: Target, inputSection: string, section: SectionName, key: string, entry: Entry): void {
    let entries = this.sets[target].get(section);
    if (!entries) this.sets[target].set(section, (entries = new Map<string, Entry>()));
    const existing = entries.get(key);
    // a key listed twice (e.g. fieldPermissions and legacy fieldLevelSecurities): keep what either grants
    if (existing) mergeInto(existing, entry);
    else entries.set(key, entry);
    this.count(inputSection, target === 'main' ? 'carried' : 'companion');
  }

  public unmatchedExclusions(): string[] {
    return [...this.excluded].filter(([, matched]) => !matched).map(([name]) => name);
  }

  private count(section: string, what: keyof SectionCounts): void {
    (this.counts[section] ??= { carried: 0, companion: 0, omitted: 0 })[what]++;
  }
}

/** A profile-only section (layouts, login hours…) is omitted; login restrictions are also warned about. */
function omitProfileOnly(placed: Placed, inputSection: string, entries: Entry[]): string[] {
  for (const entry of entries) {
    if (!hasContent(entry)) continue;
    placed.omit(inputSection, profileOnlyName(inputSection, entry), PROFILE_ONLY_REASONS[inputSection]);
  }
  return (inputSection === 'loginHours' || inputSection === 'loginIpRanges') && entries.some(hasContent)
    ? [messages.getMessage(`warning.${inputSection}`)]
    : [];
}

/** Places every entry of a section that a permission set can hold (or omits it, saying why). */
function placeSection(placed: Placed, inputSection: string, entries: Entry[], options: ConversionOptions): void {
  const section = targetSection(inputSection);
  if (!section) {
    for (const entry of entries) {
      if (hasContent(entry))
        placed.omit(inputSection, genericName(inputSection, entry), messages.getMessage('reason.unknown'));
    }
    return;
  }
  const keyField = PERMISSION_SET_SECTIONS[section].key;
  for (const entry of entries) {
    const normalized = normalizeEntry(section, entry, inputSection);
    if (!normalized) continue; // grants nothing
    const key = normalized[keyField] as string;
    const where: Destination = !key
      ? { omit: messages.getMessage('reason.noKey', [keyField]) }
      : placed.isExcluded(key)
        ? { omit: messages.getMessage('reason.excluded') }
        : destination(inputSection, section, key, options);
    if (!where) continue;
    if ('omit' in where) placed.omit(inputSection, key, where.omit);
    else {
      if (where.unlicensed) placed.unlicensed.push(key);
      placed.put(where.target, inputSection, section, key, normalized);
    }
  }
}

type Destination = { target: Target; unlicensed?: boolean } | { omit: string } | undefined;

/** Where an entry goes by its section's rule: UI access to the companion (--include-ui), user permissions by license. */
function destination(inputSection: string, section: SectionName, key: string, options: ConversionOptions): Destination {
  const includeUi = options.includeUi === true;
  if (UI.has(inputSection)) return includeUi ? { target: 'companion' } : { omit: messages.getMessage('reason.ui') };
  if (section === 'userPermissions') {
    const inherent = INHERENT_USER_PERMISSIONS[key];
    if (inherent) return { omit: inherent.reason };
    if (UI_ONLY_USER_PERMISSIONS[key])
      return includeUi ? { target: 'companion' } : { omit: messages.getMessage('reason.uiPermission') };
    const licensed = options.licensedUserPermissions ?? PSL_USER_PERMISSIONS;
    return licensed.has(key) ? { target: 'main' } : { target: 'companion', unlicensed: true };
  }
  if (LICENSED.has(section)) return { target: 'main' };
  if (COMPANION_ONLY.has(section)) return { target: 'companion' };
  return undefined;
}

/** The licensed set, and the companion when anything went to it. */
function buildSets(
  sets: Placed['sets'],
  input: ConversionInput,
  options: ConversionOptions,
): { main: PermissionSetDoc; companion?: PermissionSetDoc } {
  const label = options.label ?? labelFromName(options.name);
  const main = buildDoc(sets.main, {
    fullName: options.name,
    label,
    description: options.description ?? messages.getMessage('description.main', [input.fullName ?? 'profile']),
    license: INTEGRATION_PSL,
    hasActivationRequired: false,
  });
  const companion =
    sets.companion.size > 0
      ? buildDoc(sets.companion, {
          fullName: `${options.name}${COMPANION_SUFFIX}`,
          label: `${label} Companion`,
          description: messages.getMessage('description.companion', [options.name]),
          hasActivationRequired: false,
        })
      : undefined;
  return { main, companion };
}

/** The sanitized API name `convert-profile` proposes for a profile: letters, digits, single underscores. */
export function permissionSetNameFromProfile(profileName: string, suffix = '_Integration'): string {
  let base = profileName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  if (!/^[A-Za-z]/.test(base)) base = `P_${base}`.replace(/_$/, '');
  // 80 characters is the API name limit; leave room for the companion suffix
  return `${base.slice(0, 80 - COMPANION_SUFFIX.length - suffix.length).replace(/_$/, '')}${suffix}`;
}

/** Whether `name` is a valid permission set API name. */
export function isValidApiName(name: string): boolean {
  return /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/.test(name) && !name.endsWith('_') && name.length <= 80;
}

export function labelFromName(name: string): string {
  return name.replace(/_/g, ' ');
}

function buildDoc(
  sections: Map<SectionName, Map<string, Entry>>,
  head: Omit<PermissionSetDoc, 'sections'>,
): PermissionSetDoc {
  const doc: PermissionSetDoc = { ...head, sections: {} };
  for (const section of SECTION_ORDER) {
    const entries = sections.get(section);
    if (!entries || entries.size === 0) continue;
    // code-unit order, not locale order: the same input must give the same bytes everywhere
    const keys = [...entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    doc.sections[section] = keys.map((k) => entries.get(k)!);
  }
  return doc;
}
