/**
 * --narrow-to-usage: object access (and the field access of those objects) kept only for the objects the old user
 * touched through the API in the usage logs read. Everything else of the copied access is left as it is.
 * Pure: the logs are read by access-reader/usage-logs.ts.
 */
import { Messages } from '@salesforce/core';
import type { ConversionInput, OmittedEntry } from './convert.js';
import type { Entry } from './model.js';
import type { UsageEvidence } from '../access-reader/usage-logs.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'permissions.least-privilege');

export const notUsedReason = (): string => messages.getMessage('reason.notUsed');

export const isNotUsedOmission = (o: OmittedEntry): boolean => o.reason === notUsedReason();

/** The object part of `Object.Field` (or of an object entry's key). */
const objectOf = (section: string, e: Entry): string =>
  section === 'objectPermissions' ? String(e.object ?? '') : String(e.field ?? '').split('.')[0];

const NARROWED = new Set(['objectPermissions', 'fieldPermissions', 'fieldLevelSecurities']);

/**
 * Keeps object and field access only for `touched` objects (case-insensitive). Returns the narrowed input, the
 * entries left out (reason {@link notUsedReason}) and the objects whose access was kept and left out.
 */
export function narrowToObjects(
  input: ConversionInput,
  touched: Iterable<string>,
): { input: ConversionInput; omitted: OmittedEntry[]; keptObjects: string[]; leftOutObjects: string[] } {
  const used = new Set([...touched].map((o) => o.toLowerCase()));
  const omitted: OmittedEntry[] = [];
  const kept = new Set<string>();
  const leftOut = new Set<string>();
  const sections: ConversionInput['sections'] = {};
  for (const [section, entries] of Object.entries(input.sections)) {
    if (!entries || !NARROWED.has(section)) {
      sections[section] = entries;
      continue;
    }
    sections[section] = entries.filter((e) => {
      const object = objectOf(section, e);
      if (!object || used.has(object.toLowerCase())) {
        if (object && section === 'objectPermissions') kept.add(object);
        return true;
      }
      if (section === 'objectPermissions') leftOut.add(object);
      omitted.push({
        section,
        name: section === 'objectPermissions' ? object : String(e.field),
        reason: notUsedReason(),
      });
      return false;
    });
  }
  const sorted = (s: Set<string>): string[] => [...s].sort();
  return { input: { ...input, sections }, omitted, keptObjects: sorted(kept), leftOutObjects: sorted(leftOut) };
}

/** What --narrow-to-usage read and did, for --json and the printed block. */
export type UsageNarrowing = {
  evidence: UsageEvidence;
  keptObjects: string[];
  leftOutObjects: string[];
  /** field permissions left out with their objects */
  fieldsLeftOut: number;
};

const usageMessages = Messages.loadMessages('sf-integration-user', 'access-reader.usage-logs');

const listSome = (names: readonly string[], max = 12): string =>
  names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;

/** The block that prints the evidence window: which logs, which types, how many rows, what it kept and left out. */
export function usageBlock(usage: UsageNarrowing | undefined): { header: string; lines: string[] } | undefined {
  if (!usage) return undefined;
  const e = usage.evidence;
  const dates = e.files.map((f) => f.logDate).sort();
  const span = dates[0] === dates[dates.length - 1] ? dates[0] : `${dates[0]} to ${dates[dates.length - 1]}`;
  const types = Object.entries(e.eventTypes)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  const lines = [
    usageMessages.getMessage('block.read', [
      e.files.length,
      e.files.length === 1 ? '' : 's',
      span,
      types,
      e.days,
      e.rows,
      e.rowsByUser,
      e.username,
    ]),
    usageMessages.getMessage('block.used', [listSome(usage.keptObjects)]),
  ];
  if (usage.leftOutObjects.length) {
    const fields = usage.fieldsLeftOut
      ? ' ' + usageMessages.getMessage('block.fields', [usage.fieldsLeftOut, usage.fieldsLeftOut === 1 ? '' : 's'])
      : '';
    lines.push(usageMessages.getMessage('block.leftOut', [listSome(usage.leftOutObjects), fields]));
  }
  lines.push(usageMessages.getMessage('block.caveat'));
  return { header: usageMessages.getMessage('block.header', [e.username]), lines };
}

/**
 * Narrows copied access to what the usage logs show the user touched.
 *
 * @throws SfError NoUsageByUser when that would leave no object access
 */
export function narrowToUsage(
  input: ConversionInput,
  evidence: UsageEvidence,
): { input: ConversionInput; omitted: OmittedEntry[]; usage: UsageNarrowing } {
  const narrowed = narrowToObjects(input, evidence.objects);
  if (narrowed.keptObjects.length === 0) {
    const window = `${evidence.files.length} file${evidence.files.length === 1 ? '' : 's'}, last ${evidence.days} days, ${evidence.rowsByUser} request rows by the user`;
    throw usageMessages.createError('error.NoUsageByUser', [window, evidence.username]);
  }
  return {
    input: narrowed.input,
    omitted: narrowed.omitted,
    usage: {
      evidence,
      keptObjects: narrowed.keptObjects,
      leftOutObjects: narrowed.leftOutObjects,
      fieldsLeftOut: narrowed.omitted.filter((o) => o.section !== 'objectPermissions').length,
    },
  };
}
