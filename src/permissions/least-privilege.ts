/**
 * Least privilege by default when access is copied (a profile file, a profile read from the org, an old user's
 * effective access): the high-risk user permissions are left out unless named with --keep-permission, and the
 * caller says so in one block. Access named explicitly (create --user-permission) is never left out.
 *
 * What is high risk: {@link HIGH_RISK_USER_PERMISSIONS} (license-rules.ts). Of those, Salesforce itself names four
 * as privileged: "Salesforce is enforcing phishing-resistant Multi-Factor Authentication (MFA) for all users with the
 * System Administrator profile, Modify All Data, View All Data, Customize Application, or Author Apex permissions"
 * (Salesforce Help 005321563, CONFIRMED). The others come from third-party lists (sfhound "Tier Zero": Manage
 * Users, Manage Profiles and Permission Sets, Manage Sharing…) and this project's judgment (UNCONFIRMED as
 * Salesforce policy): see docs/salesforce-behaviour.md, "Least privilege".
 */
import { Messages } from '@salesforce/core';
import { HIGH_RISK_USER_PERMISSIONS } from './license-rules.js';
import { permissionLabel } from './labels.js';
import type { ConversionInput, ConversionResult, OmittedEntry } from './convert.js';
import type { Entry } from './model.js';
import { usageBlock, type UsageNarrowing } from './narrow-to-usage.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'permissions.least-privilege');

/** The permissions Salesforce's own MFA enforcement names as privileged (Help 005321563). */
export const PRIVILEGED_BY_SALESFORCE: ReadonlySet<string> = new Set([
  'AuthorApex',
  'CustomizeApplication',
  'ModifyAllData',
  'ViewAllData',
]);

export const KEEP_FLAG = '--keep-permission';

export type LeftOutPermission = {
  name: string;
  /** the admin-facing label (what Setup shows), when known */
  label?: string;
  /** what it lets the holder do */
  why: string;
  /** named privileged by Salesforce itself, not only by the high-risk table */
  privilegedBySalesforce: boolean;
  /** the flag that keeps it, e.g. `--keep-permission ModifyAllData` */
  keepWith: string;
};

export type HighRiskOutcome = {
  /** high-risk user permissions the source granted that the new permission sets leave out */
  leftOut: LeftOutPermission[];
  /** high-risk user permissions the source granted that are carried because they were named */
  kept: string[];
  /** names given to keep that are not high risk (carried or not by the usual rules) */
  notHighRisk: string[];
  /** high-risk names given to keep that the source doesn't grant */
  notGranted: string[];
};

/** The omission reason of a left-out high-risk permission (also how compare recognises one). */
export const highRiskReason = (name: string): string =>
  messages.getMessage('reason.highRisk', [HIGH_RISK_USER_PERMISSIONS[name] ?? 'is high risk', `${KEEP_FLAG} ${name}`]);

export const isHighRiskOmission = (o: OmittedEntry): boolean =>
  o.section === 'userPermissions' && o.reason === highRiskReason(o.name);

const isEnabled = (e: Entry): boolean => e.enabled === true;

/**
 * Takes the high-risk user permissions out of copied access, except those named in `keep` (case-insensitive) and
 * those named in `exclude` (left for the converter, which reports them as excluded). Pure: the input is not changed.
 * The omitted entries carry {@link highRiskReason}.
 */
export function leaveOutHighRisk(
  input: ConversionInput,
  options: { keep?: readonly string[]; exclude?: readonly string[] } = {},
): { input: ConversionInput; omitted: OmittedEntry[]; outcome: HighRiskOutcome } {
  const keep = new Map((options.keep ?? []).map((k) => [k.trim().toLowerCase(), k.trim()]));
  const exclude = new Set((options.exclude ?? []).map((k) => k.trim().toLowerCase()));
  const highRisk = new Map(Object.keys(HIGH_RISK_USER_PERMISSIONS).map((n) => [n.toLowerCase(), n]));
  const outcome: HighRiskOutcome = { leftOut: [], kept: [], notHighRisk: [], notGranted: [] };
  const omitted: OmittedEntry[] = [];
  const granted = new Set<string>();
  const sections = { ...input.sections };
  const userPermissions = input.sections.userPermissions;
  if (userPermissions) {
    sections.userPermissions = userPermissions.filter((e) => {
      const name = String(e.name ?? '').trim();
      const canonical = highRisk.get(name.toLowerCase());
      if (!canonical || !isEnabled(e) || exclude.has(canonical.toLowerCase())) return true;
      granted.add(canonical.toLowerCase());
      if (keep.has(canonical.toLowerCase())) {
        if (!outcome.kept.includes(name)) outcome.kept.push(name);
        return true;
      }
      if (!omitted.some((o) => o.name === canonical)) {
        const label = permissionLabel(canonical);
        omitted.push({
          section: 'userPermissions',
          name: canonical,
          reason: highRiskReason(canonical),
          ...(label ? { label } : {}),
        });
        outcome.leftOut.push({
          name: canonical,
          ...(label ? { label } : {}),
          why: HIGH_RISK_USER_PERMISSIONS[canonical],
          privilegedBySalesforce: PRIVILEGED_BY_SALESFORCE.has(canonical),
          keepWith: `${KEEP_FLAG} ${canonical}`,
        });
      }
      return false;
    });
  }
  for (const [lower, given] of keep) {
    if (!highRisk.has(lower)) outcome.notHighRisk.push(given);
    else if (!granted.has(lower)) outcome.notGranted.push(highRisk.get(lower)!);
  }
  const byName = (a: LeftOutPermission, b: LeftOutPermission): number =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  outcome.leftOut.sort(byName);
  outcome.kept.sort();
  return { input: { ...input, sections }, omitted, outcome };
}

/** Adds omissions made before the conversion (org rules, this policy) to its result, with their counts. */
export function addOmissions(
  conversion: Pick<ConversionResult, 'omitted' | 'counts'>,
  omitted: readonly OmittedEntry[],
): void {
  for (const o of omitted) {
    conversion.omitted.push(o);
    (conversion.counts[o.section] ??= { carried: 0, companion: 0, omitted: 0 }).omitted++;
  }
}

/** `label name, name, …` wrapped to about `width` characters per line, continuation lines indented further. */
function wrapNames(label: string, names: readonly string[], indent: string, width = 80): string[] {
  const lines: string[] = [];
  let line = label;
  for (const [i, name] of names.entries()) {
    const piece = `${name}${i < names.length - 1 ? ',' : ''}`;
    if (line && indent.length + line.length + 1 + piece.length > width) {
      lines.push(`${indent}${line}`);
      line = `  ${piece}`;
    } else line = line ? `${line} ${piece}` : piece;
  }
  if (line) lines.push(`${indent}${line}`);
  return lines;
}

/**
 * The one block that says what was left out and why, and how to keep each (the per-permission reasons are in
 * --json and in compare's rows). Empty when there is nothing to say.
 */
export function highRiskBlock(outcome: HighRiskOutcome | undefined): string[] {
  if (!outcome) return [];
  const lines: string[] = [];
  const { leftOut, kept, notHighRisk, notGranted } = outcome;
  if (leftOut.length) {
    const privileged = leftOut.filter((p) => p.privilegedBySalesforce).map((p) => p.name);
    const others = leftOut.filter((p) => !p.privilegedBySalesforce).map((p) => p.name);
    lines.push(messages.getMessage('block.leftOut', [leftOut.length, leftOut.length === 1 ? '' : 's']));
    if (privileged.length) lines.push(...wrapNames(messages.getMessage('block.privileged'), privileged, '  '));
    if (others.length) lines.push(...wrapNames(messages.getMessage('block.others'), others, '  '));
    lines.push(messages.getMessage('block.keep', [KEEP_FLAG, `${KEEP_FLAG} ${leftOut[0].name}`]));
  }
  if (kept.length) lines.push(messages.getMessage('block.kept', [KEEP_FLAG, kept.join(', ')]));
  if (notHighRisk.length) lines.push(messages.getMessage('block.notHighRisk', [KEEP_FLAG, notHighRisk.join(', ')]));
  if (notGranted.length) lines.push(messages.getMessage('block.notGranted', [KEEP_FLAG, notGranted.join(', ')]));
  return lines;
}

/** @throws SfError KeepAndExclude when a permission is named both to keep and to exclude */
export function checkKeepAndExclude(keep: readonly string[] = [], exclude: readonly string[] = []): void {
  const excluded = new Set(exclude.map((e) => e.trim().toLowerCase()));
  const both = keep.filter((k) => excluded.has(k.trim().toLowerCase()));
  if (both.length)
    throw messages.createError('error.KeepAndExclude', [
      both.length === 1 ? 'A permission is' : 'Permissions are',
      both.join(', '),
    ]);
}

/**
 * What copied access left out on purpose, as the blocks a command prints after its run: the high-risk permissions
 * (left out, or kept on request) and, with --narrow-to-usage, the objects the usage logs kept and left out.
 */
export function leftOutBlocks(
  highRisk: HighRiskOutcome | undefined,
  usage: UsageNarrowing | undefined,
): Array<{ header: string; lines: string[] }> {
  const blocks: Array<{ header: string; lines: string[] }> = [];
  const risky = highRiskBlock(highRisk);
  if (risky.length) blocks.push({ header: messages.getMessage('block.header'), lines: risky });
  const used = usageBlock(usage);
  if (used) blocks.push(used);
  return blocks;
}
