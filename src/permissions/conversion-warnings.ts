/**
 * What the conversion warns about in the sets it made: user permissions the license may not carry, high-risk
 * permissions and View/Modify All Records, access missing what it depends on, exclusions that matched nothing.
 */
import { Messages } from '@salesforce/core';
import { HIGH_RISK_USER_PERMISSIONS } from './license-rules.js';
import type { PermissionSetDoc } from './model.js';
import { withLabel, type PermissionLabels } from './labels.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'permissions.convert');

/** User permissions put in the companion because the license isn't known to carry them. */
export function unlicensedWarnings(
  unlicensed: string[],
  companion: PermissionSetDoc | undefined,
  labels: PermissionLabels | undefined,
): string[] {
  if (unlicensed.length === 0) return [];
  return [
    messages.getMessage('warning.unlicensed', [
      `${plural(unlicensed.length, 'user permission')} ${unlicensed.length === 1 ? 'is' : 'are'}`,
      companion?.fullName ?? '',
      listSome(unlicensed.sort().map((n) => withLabel(n, labels))),
    ]),
  ];
}

/** High-risk user permissions (but those acknowledged), and objects whose records all can be viewed or modified. */
export function riskWarnings(
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
    warnings.push(...allRecordsWarnings(doc));
  }
  return warnings;
}

function allRecordsWarnings(doc: PermissionSetDoc): string[] {
  const objects = doc.sections.objectPermissions ?? [];
  const modifyAll = objects.filter((e) => e.modifyAllRecords === true).map((e) => e.object as string);
  const viewAll = objects
    .filter((e) => e.viewAllRecords === true && e.modifyAllRecords !== true)
    .map((e) => e.object as string);
  return [
    ...(modifyAll.length > 0 ? [objectsWarning('warning.modifyAllRecords', doc, modifyAll)] : []),
    ...(viewAll.length > 0 ? [objectsWarning('warning.viewAllRecords', doc, viewAll)] : []),
  ];
}

const objectsWarning = (key: string, doc: PermissionSetDoc, objects: string[]): string =>
  messages.getMessage(key, [doc.fullName, plural(objects.length, 'object'), listSome(objects)]);

/** Object and field permissions missing what they depend on fail to deploy; report them rather than grant more. */
export function dependencyWarnings(docs: Array<PermissionSetDoc | undefined>): string[] {
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

/** --exclude-permission names that matched nothing (a typo, or access the profile doesn't have). */
export function unmatchedExclusionWarnings(unmatched: string[]): string[] {
  return unmatched.length > 0 ? [messages.getMessage('warning.excludeUnmatched', [unmatched.join(', ')])] : [];
}

/** "1 object", "2 objects": counts in warnings read correctly for one. */
function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function listSome(names: string[], max = 10): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
