/**
 * A profile's entries reshaped for a permission set: the section that holds them, the entry as the schema allows it
 * (or nothing when it grants nothing), and a name for an entry no permission set can hold, to say what was omitted.
 */
import { PERMISSION_SET_SECTIONS, type Entry, type SectionName } from './model.js';
import { OBJECT_PERMISSION_FIELDS } from './schema.js';
import { SECTION_REGISTRY } from './registry.js';

/** required by the schema (minOccurs 1) or written by Salesforce on every retrieve */
const OBJECT_ALWAYS: readonly string[] = SECTION_REGISTRY.objectPermissions.grants;
const OBJECT_GRANTS = OBJECT_PERMISSION_FIELDS.filter((f) => f !== 'object');

const TAB_VISIBILITY: Readonly<Record<string, string | undefined>> = {
  DefaultOn: 'Visible',
  DefaultOff: 'Available',
  Visible: 'Visible',
  Available: 'Available',
};

/** The permission set section that holds a profile section's entries (legacy and profile names mapped). */
export function targetSection(inputSection: string): SectionName | undefined {
  if (inputSection === 'fieldLevelSecurities') return 'fieldPermissions';
  if (inputSection === 'tabVisibilities') return 'tabSettings';
  return inputSection in PERMISSION_SET_SECTIONS ? (inputSection as SectionName) : undefined;
}

/**
 * The entry as a permission set holds it: only the schema's fields, required booleans filled in, profile-only
 * flags (`default`, `personAccountDefault`, legacy `hidden`, `revoke*`) dropped. Undefined when it grants nothing.
 */
export function normalizeEntry(section: SectionName, entry: Entry, inputSection: string): Entry | undefined {
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

/** Adds what `entry` grants to `existing` (a key listed twice keeps what either grants). */
export function mergeInto(existing: Entry, entry: Entry): void {
  for (const [f, v] of Object.entries(entry)) {
    if (v === true) existing[f] = true;
    else if (existing[f] === undefined) existing[f] = v;
  }
}

export function hasContent(entry: Entry): boolean {
  for (const k in entry) if (entry[k] !== '' && entry[k] !== undefined) return true;
  return false;
}

/** How the omitted list names an entry of a profile-only section (layouts, login IP ranges, login flows…). */
export function profileOnlyName(section: string, entry: Entry): string {
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

/** How the omitted list names an entry of a section it doesn't know: its first name-like field. */
export function genericName(section: string, entry: Entry): string {
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
