/**
 * The profile → integration permission sets conversion. Over 300 lines: the section-by-section rules (licensed,
 * companion, UI, per-permission) and the entry normalisation they share; the facts it branches on are in registry.ts.
 */
import { Messages } from '@salesforce/core';
import type { ProfileDoc } from '../profile/read-profile.js';
import {
  HIGH_RISK_USER_PERMISSIONS,
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
import { OBJECT_PERMISSION_FIELDS } from './schema.js';
import { permissionLabel, withLabel, type PermissionLabels } from './labels.js';
import { SECTION_REGISTRY } from './registry.js';

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

/** required by the schema (minOccurs 1) or written by Salesforce on every retrieve */
const OBJECT_ALWAYS: readonly string[] = SECTION_REGISTRY.objectPermissions.grants;
const OBJECT_GRANTS = OBJECT_PERMISSION_FIELDS.filter((f) => f !== 'object');

const TAB_VISIBILITY: Readonly<Record<string, string | undefined>> = {
  DefaultOn: 'Visible',
  DefaultOff: 'Available',
  Visible: 'Visible',
  Available: 'Available',
};

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
  const licensed = options.licensedUserPermissions ?? PSL_USER_PERMISSIONS;
  const includeUi = options.includeUi === true;
  const excluded = new Map<string, boolean>(); // lower-case name -> matched
  for (const name of options.excludePermissions ?? []) excluded.set(name.trim().toLowerCase(), false);

  const out: Record<Target, Map<SectionName, Map<string, Entry>>> = { main: new Map(), companion: new Map() };
  const omitted: OmittedEntry[] = [];
  const warnings: string[] = [];
  const counts: Record<string, SectionCounts> = {};
  const unlicensed: string[] = [];

  const count = (section: string, what: keyof SectionCounts): void => {
    (counts[section] ??= { carried: 0, companion: 0, omitted: 0 })[what]++;
  };
  const labels = options.permissionLabels;
  const omit = (section: string, name: string, reason: string): void => {
    const label = section === 'userPermissions' ? permissionLabel(name, labels) : undefined;
    omitted.push(label ? { section, name, reason, label } : { section, name, reason });
    count(section, 'omitted');
  };
  const isExcluded = (key: string): boolean => {
    const lower = key.toLowerCase();
    if (!excluded.has(lower)) return false;
    excluded.set(lower, true);
    return true;
  };
  const put = (target: Target, inputSection: string, section: SectionName, key: string, entry: Entry): void => {
    let entries = out[target].get(section);
    if (!entries) out[target].set(section, (entries = new Map<string, Entry>()));
    const existing = entries.get(key);
    // a key listed twice (e.g. fieldPermissions and legacy fieldLevelSecurities): keep what either grants
    if (existing) mergeInto(existing, entry);
    else entries.set(key, entry);
    count(inputSection, target === 'main' ? 'carried' : 'companion');
  };

  if (input.userLicense !== undefined) {
    omit('userLicense', 'userLicense', messages.getMessage('reason.userLicense', [input.userLicense, INTEGRATION_PSL]));
  }
  if (input.custom !== undefined) omit('custom', 'custom', messages.getMessage('reason.custom'));

  for (const [inputSection, entries] of Object.entries(input.sections)) {
    if (!entries) continue;

    if (PROFILE_ONLY.has(inputSection)) {
      for (const entry of entries) {
        if (!hasContent(entry)) continue;
        omit(inputSection, profileOnlyName(inputSection, entry), PROFILE_ONLY_REASONS[inputSection]);
      }
      if ((inputSection === 'loginHours' || inputSection === 'loginIpRanges') && entries.some(hasContent)) {
        warnings.push(messages.getMessage(`warning.${inputSection}`));
      }
      continue;
    }

    const section = targetSection(inputSection);
    if (!section) {
      for (const entry of entries) {
        if (hasContent(entry))
          omit(inputSection, genericName(inputSection, entry), messages.getMessage('reason.unknown'));
      }
      continue;
    }

    const keyField = PERMISSION_SET_SECTIONS[section].key;
    for (const entry of entries) {
      const normalized = normalizeEntry(section, entry, inputSection);
      if (!normalized) continue; // grants nothing
      const key = normalized[keyField] as string;
      if (!key) {
        omit(inputSection, '', messages.getMessage('reason.noKey', [keyField]));
        continue;
      }
      if (isExcluded(key)) {
        omit(inputSection, key, messages.getMessage('reason.excluded'));
        continue;
      }
      if (UI.has(inputSection)) {
        if (includeUi) put('companion', inputSection, section, key, normalized);
        else omit(inputSection, key, messages.getMessage('reason.ui'));
      } else if (section === 'userPermissions') {
        const inherent = INHERENT_USER_PERMISSIONS[key];
        if (inherent) omit(inputSection, key, inherent.reason);
        else if (UI_ONLY_USER_PERMISSIONS[key]) {
          if (includeUi) put('companion', inputSection, section, key, normalized);
          else omit(inputSection, key, messages.getMessage('reason.uiPermission'));
        } else if (licensed.has(key)) put('main', inputSection, section, key, normalized);
        else {
          unlicensed.push(key);
          put('companion', inputSection, section, key, normalized);
        }
      } else if (LICENSED.has(section)) put('main', inputSection, section, key, normalized);
      else if (COMPANION_ONLY.has(section)) put('companion', inputSection, section, key, normalized);
    }
  }

  const main = buildDoc(out.main, {
    fullName: options.name,
    label: options.label ?? labelFromName(options.name),
    description: options.description ?? messages.getMessage('description.main', [input.fullName ?? 'profile']),
    license: INTEGRATION_PSL,
    hasActivationRequired: false,
  });
  const companion =
    out.companion.size > 0
      ? buildDoc(out.companion, {
          fullName: `${options.name}${COMPANION_SUFFIX}`,
          label: `${options.label ?? labelFromName(options.name)} Companion`,
          description: messages.getMessage('description.companion', [options.name]),
          hasActivationRequired: false,
        })
      : undefined;

  if (unlicensed.length > 0) {
    warnings.push(
      messages.getMessage('warning.unlicensed', [
        `${plural(unlicensed.length, 'user permission')} ${unlicensed.length === 1 ? 'is' : 'are'}`,
        companion?.fullName ?? '',
        listSome(unlicensed.sort().map((n) => withLabel(n, labels))),
      ]),
    );
  }
  warnings.push(
    ...riskWarnings(main, companion, labels, new Set((options.acknowledgedHighRisk ?? []).map((n) => n.toLowerCase()))),
  );
  warnings.push(...dependencyWarnings([main, companion]));
  const unmatched = [...excluded].filter(([, matched]) => !matched).map(([name]) => name);
  if (unmatched.length > 0) warnings.push(messages.getMessage('warning.excludeUnmatched', [unmatched.join(', ')]));

  return { main, companion, omitted, warnings, counts };
}

/**
 * An objectPermissions entry for `object` granting `access` (read, create, edit, delete, viewAll, modifyAll)
 * plus what Salesforce requires them to depend on: create and edit need read, delete needs edit, view all needs
 * read, modify all needs view all and delete.
 *
 * @throws SfError UnknownObjectAccess
 */
export function objectEntry(object: string, access: readonly string[]): Entry {
  const granted = new Set<string>();
  const add = (a: string): void => {
    granted.add(a);
    for (const dep of OBJECT_DEPENDENCIES[a] ?? []) add(dep);
  };
  for (const raw of access) {
    const a = OBJECT_ACCESS_ALIASES[raw.trim().toLowerCase()];
    if (!a) {
      throw messages.createError(
        'error.UnknownObjectAccess',
        [raw, object],
        [Object.keys(OBJECT_DEPENDENCIES).join(', ')],
      );
    }
    add(a);
  }
  return {
    allowCreate: granted.has('create'),
    allowDelete: granted.has('delete'),
    allowEdit: granted.has('edit'),
    allowRead: granted.has('read'),
    modifyAllRecords: granted.has('modifyAll'),
    object,
    viewAllFields: false,
    viewAllRecords: granted.has('viewAll'),
  };
}

/** A fieldPermissions entry for `Object.Field`: edit implies read. */
export function fieldEntry(field: string, access: 'read' | 'edit'): Entry {
  return { editable: access === 'edit', field, readable: true };
}

/** An entry of a `{enabled, name}`-style section (userPermissions, classAccesses, customPermissions…), enabled. */
export function enabledEntry(section: SectionName, name: string): Entry {
  const spec = PERMISSION_SET_SECTIONS[section];
  const entry: Entry = { [spec.key]: name };
  for (const grant of spec.grants) entry[grant] = true;
  return entry;
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

const OBJECT_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  read: [],
  create: ['read'],
  edit: ['read'],
  delete: ['edit'],
  viewAll: ['read'],
  modifyAll: ['viewAll', 'delete'],
};
const OBJECT_ACCESS_ALIASES: Readonly<Record<string, string>> = {
  read: 'read',
  create: 'create',
  edit: 'edit',
  delete: 'delete',
  viewall: 'viewAll',
  modifyall: 'modifyAll',
};

function targetSection(inputSection: string): SectionName | undefined {
  if (inputSection === 'fieldLevelSecurities') return 'fieldPermissions';
  if (inputSection === 'tabVisibilities') return 'tabSettings';
  return inputSection in PERMISSION_SET_SECTIONS ? (inputSection as SectionName) : undefined;
}

/**
 * The entry as a permission set holds it: only the schema's fields, required booleans filled in, profile-only
 * flags (`default`, `personAccountDefault`, legacy `hidden`, `revoke*`) dropped. Undefined when it grants nothing.
 */
function normalizeEntry(section: SectionName, entry: Entry, inputSection: string): Entry | undefined {
  const spec = PERMISSION_SET_SECTIONS[section];
  const key = entry[spec.key];
  const keyText = key === undefined ? '' : String(key).trim();
  if (section === 'tabSettings') {
    const visibility = TAB_VISIBILITY[String(entry.visibility ?? '').trim()];
    return visibility ? { tab: keyText, visibility } : undefined;
  }
  if (section === 'objectPermissions') {
    const out: Entry = { object: keyText };
    let grants = false;
    for (const f of OBJECT_GRANTS) {
      const v = entry[f] === true;
      if (v || OBJECT_ALWAYS.includes(f)) out[f] = v;
      grants ||= v;
    }
    return grants ? reorder(out, OBJECT_PERMISSION_FIELDS) : undefined;
  }
  if (section === 'fieldPermissions') {
    // fieldLevelSecurities (API 22 and older) had `hidden` instead of `readable`
    const readable = entry.readable === true || (entry.readable === undefined && entry.hidden === false);
    const editable = entry.editable === true;
    if (!readable && !editable) return undefined;
    return { editable, field: keyText, readable: readable || (inputSection === 'fieldLevelSecurities' && editable) };
  }
  const out: Entry = {};
  let grants = false;
  for (const f of spec.fields) {
    if (f === spec.key) out[f] = keyText;
    else {
      const v = entry[f] === true;
      out[f] = v;
      grants ||= v;
    }
  }
  return grants ? out : undefined;
}

function reorder(entry: Entry, order: readonly string[]): Entry {
  const out: Entry = {};
  for (const f of order) if (entry[f] !== undefined) out[f] = entry[f];
  return out;
}

function mergeInto(existing: Entry, entry: Entry): void {
  for (const [f, v] of Object.entries(entry)) {
    if (v === true) existing[f] = true;
    else if (existing[f] === undefined) existing[f] = v;
  }
}

function hasContent(entry: Entry): boolean {
  for (const k in entry) if (entry[k] !== '' && entry[k] !== undefined) return true;
  return false;
}

function profileOnlyName(section: string, entry: Entry): string {
  switch (section) {
    case 'layoutAssignments':
      return entry.recordType ? `${String(entry.layout)} (${String(entry.recordType)})` : String(entry.layout ?? '');
    case 'loginIpRanges':
      return `${String(entry.startAddress ?? '')}-${String(entry.endAddress ?? '')}`;
    case 'loginFlows':
      return String(entry.friendlyName ?? entry.flow ?? entry.vfFlowPage ?? section);
    case 'profileActionOverrides':
      return [entry.pageOrSobjectType, entry.actionName, entry.recordType, entry.formFactor]
        .filter((x) => x !== undefined && x !== '')
        .join('.');
    case 'categoryGroupVisibilities':
      return String(entry.dataCategoryGroup ?? section);
    default:
      // profile-wide settings such as loginHours are named by their element
      return section;
  }
}

function genericName(section: string, entry: Entry): string {
  for (const f of [
    'name',
    'fullName',
    'object',
    'field',
    'apexClass',
    'apexPage',
    'tab',
    'application',
    'recordType',
    'flow',
  ]) {
    if (typeof entry[f] === 'string') return entry[f];
  }
  const first = Object.values(entry).find((v) => typeof v === 'string');
  return typeof first === 'string' ? first : section;
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

function riskWarnings(
  main: PermissionSetDoc,
  companion: PermissionSetDoc | undefined,
  labels: PermissionLabels | undefined,
  acknowledged: ReadonlySet<string>,
): string[] {
  const warnings: string[] = [];
  for (const doc of [main, companion]) {
    if (!doc) continue;
    for (const entry of doc.sections.userPermissions ?? []) {
      const why = HIGH_RISK_USER_PERMISSIONS[entry.name as string];
      if (why && !acknowledged.has(String(entry.name).toLowerCase()))
        warnings.push(
          messages.getMessage('warning.highRisk', [
            withLabel(entry.name as string, labels),
            doc.fullName,
            why,
            entry.name,
          ]),
        );
    }
    const objects = doc.sections.objectPermissions ?? [];
    const modifyAll = objects.filter((e) => e.modifyAllRecords === true).map((e) => e.object as string);
    const viewAll = objects
      .filter((e) => e.viewAllRecords === true && e.modifyAllRecords !== true)
      .map((e) => e.object as string);
    if (modifyAll.length > 0) {
      warnings.push(
        messages.getMessage('warning.modifyAllRecords', [
          doc.fullName,
          plural(modifyAll.length, 'object'),
          listSome(modifyAll),
        ]),
      );
    }
    if (viewAll.length > 0) {
      warnings.push(
        messages.getMessage('warning.viewAllRecords', [
          doc.fullName,
          plural(viewAll.length, 'object'),
          listSome(viewAll),
        ]),
      );
    }
  }
  return warnings;
}

/** Object and field permissions missing what they depend on fail to deploy; report them rather than grant more. */
function dependencyWarnings(docs: Array<PermissionSetDoc | undefined>): string[] {
  const broken: string[] = [];
  for (const doc of docs) {
    for (const e of doc?.sections.objectPermissions ?? []) {
      const read = e.allowRead === true;
      const ok =
        ((e.allowCreate !== true && e.allowEdit !== true && e.viewAllRecords !== true) || read) &&
        (e.allowDelete !== true || e.allowEdit === true) &&
        (e.modifyAllRecords !== true || (e.viewAllRecords === true && e.allowDelete === true));
      if (!ok) broken.push(e.object as string);
    }
  }
  const warnings =
    broken.length > 0
      ? [
          messages.getMessage('warning.objectDependencies', [
            `${plural(broken.length, 'object permission')} ${broken.length === 1 ? 'does' : 'do'}`,
            listSome(broken),
          ]),
        ]
      : [];
  // edit access to a field needs read access to it, like objects
  const editOnly = docs.flatMap((doc) =>
    (doc?.sections.fieldPermissions ?? [])
      .filter((e) => e.editable === true && e.readable !== true)
      .map((e) => e.field as string),
  );
  if (editOnly.length > 0) {
    warnings.push(
      messages.getMessage('warning.fieldDependencies', [
        `${plural(editOnly.length, 'field permission')} ${editOnly.length === 1 ? 'does' : 'do'}`,
        listSome(editOnly),
      ]),
    );
  }
  return warnings;
}

/** "1 object", "2 objects": counts in warnings read correctly for one. */
function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function listSome(names: string[], max = 10): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
