/**
 * convert-profile's work, without a CLI: read a profile (a file, an org's profile, or a user's effective access),
 * convert it with the license rules (the org's when connected), write the permission sets for the target API
 * version, and say what was carried, moved to the companion set, or omitted.
 */
import { basename, join, resolve, sep } from 'node:path';
import { Messages, type Connection } from '@salesforce/core';
import { targetApiVersion, versionDropWarning } from '../org-api/api-version.js';
import { fitToApiVersion } from '../permissions/element-versions.js';
import {
  convertToIntegrationPermissionSets,
  isValidApiName,
  permissionSetNameFromProfile,
  COMPANION_SUFFIX,
  type ConversionResult,
  type OmittedEntry,
  type SectionCounts,
} from '../permissions/convert.js';
import type { PermissionSetDoc } from '../permissions/model.js';
import { readProfileFile, type ProfileDoc } from '../profile/read-profile.js';
import { resolveDefaultOutputDir, writePermissionSetSources } from '../metadata/write-sources.js';
import { pathExists } from '../metadata/project-paths.js';
import { outsideProjectNotice } from '../metadata/output-dir.js';
// the org readers load only when an org is used: a file converts offline without them (issue 12)
import type { AccessSource } from '../access-reader/effective-access.js';
import type { GrantSources, MutedGrant } from '../access-reader/merge-access.js';
import type { OrgRules } from '../access-reader/org-rules.js';
import type { ReadStats } from '../access-reader/query.js';
import type { PermissionSetReader } from '../access-reader/read-permission-sets.js';
import { addOmissions, leaveOutHighRisk, type HighRiskOutcome } from '../permissions/least-privilege.js';
import { narrowToUsage, type UsageNarrowing } from '../permissions/narrow-to-usage.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.convert-profile');

export type ConvertedPermissionSet = {
  name: string;
  label: string;
  /** `SalesforceAPIIntegrationPsl` for the main set, null for the companion */
  license: string | null;
  /** the permission set's `.permissionset-meta.xml` */
  path: string;
  /** every file written for it (more than one when the project decomposes permission sets) */
  files: string[];
  /** entries per permission set section */
  counts: Record<string, number>;
};

export type ConvertProfileResult = {
  profile: string;
  source: string;
  outputDir: string;
  permissionSets: ConvertedPermissionSet[];
  omitted: OmittedEntry[];
  warnings: string[];
  /** per profile section: entries carried by the licensed set, put in the companion, omitted */
  sections: Record<string, SectionCounts>;
  /** the API version the permission sets are written for (the lowest of --api-version, sourceApiVersion, the org's) */
  apiVersion?: string;
  /** with --target-org: where the license rules came from ("org", or "built-in" when the org had none) */
  licenseRules?: 'org' | 'built-in';
  /** with --from-user: what the user's access is made of, and the sources of every grant */
  effectiveAccess?: {
    username: string;
    profile?: string;
    sources: AccessSource[];
    grantSources: GrantSources;
    muted: MutedGrant[];
  };
  /** with --profile or --from-user: queries sent to the org */
  readStats?: ReadStats;
  /** the high-risk user permissions left out (least privilege by default) and those kept with --keep-permission */
  highRisk: HighRiskOutcome;
  /** --narrow-to-usage: the usage logs read and the object access kept and left out */
  usage?: UsageNarrowing;
};

/** Where the profile comes from: exactly one of them (the command's flags make sure). */
export type ProfileSource = { sourceFile: string } | { profile: string } | { fromUser: string };

export type ConvertOptions = {
  source: ProfileSource;
  /** the org to read from and take license rules from; undefined: offline, the built-in rules */
  conn?: Connection;
  /** how the org is named in `source` (its username or Id) */
  orgName?: string;
  name?: string;
  label?: string;
  includeUi?: boolean;
  excludePermissions?: string[];
  /** high-risk user permissions to keep (the others are left out) */
  keepPermissions?: string[];
  /** with fromUser: narrow object access to the usage logs of this many days */
  usageDays?: number;
  outputDir?: string;
  apiVersion?: string;
  force?: boolean;
  cwd: string;
};

type OrgAccess = {
  PermissionSetReader: typeof import('../access-reader/read-permission-sets.js').PermissionSetReader;
  readProfileFromOrg: typeof import('../access-reader/read-profile-from-org.js').readProfileFromOrg;
  readEffectiveAccess: typeof import('../access-reader/effective-access.js').readEffectiveAccess;
  readOrgRules: typeof import('../access-reader/org-rules.js').readOrgRules;
  applyOrgRules: typeof import('../access-reader/org-rules.js').applyOrgRules;
};

/** The org-reading modules, loaded when an org is used. */
async function loadOrgAccess(): Promise<OrgAccess> {
  const [a, b, c, d] = await Promise.all([
    import('../access-reader/read-permission-sets.js'),
    import('../access-reader/read-profile-from-org.js'),
    import('../access-reader/effective-access.js'),
    import('../access-reader/org-rules.js'),
  ]);
  return {
    PermissionSetReader: a.PermissionSetReader,
    readProfileFromOrg: b.readProfileFromOrg,
    readEffectiveAccess: c.readEffectiveAccess,
    readOrgRules: d.readOrgRules,
    applyOrgRules: d.applyOrgRules,
  };
}

type Input = {
  source: string;
  profile: ProfileDoc;
  warnings: string[];
  effectiveAccess?: ConvertProfileResult['effectiveAccess'];
  userId?: string;
};

/** Reads the profile from where `source` says. */
async function readInput(
  options: ConvertOptions,
  org: OrgAccess | undefined,
  reader: PermissionSetReader | undefined,
): Promise<Input> {
  const from = options.source;
  if ('sourceFile' in from) {
    const source = resolve(options.cwd, from.sourceFile);
    return { source, profile: await readProfileFile(source), warnings: [] };
  }
  const conn = options.conn!;
  if ('profile' in from) {
    const read = await org!.readProfileFromOrg(conn, from.profile, reader);
    return { source: `${options.orgName ?? ''}: profile ${from.profile}`, profile: read.doc, warnings: read.warnings };
  }
  const access = await org!.readEffectiveAccess(conn, from.fromUser, reader);
  return {
    source: `${options.orgName ?? ''}: user ${access.user.username}`,
    profile: access.doc,
    warnings: access.warnings,
    userId: access.user.id,
    effectiveAccess: {
      username: access.user.username,
      profile: access.user.profile,
      sources: access.sources,
      grantSources: access.grantSources,
      muted: access.muted,
    },
  };
}

/** The permission set name asked for (or derived from the profile's), refused when Salesforce wouldn't take it. */
function checkedName(name: string | undefined, profileName: string): string {
  const chosen = name ?? permissionSetNameFromProfile(profileName);
  if (!isValidApiName(chosen) || chosen.length + COMPANION_SUFFIX.length > 80)
    throw messages.createError('error.InvalidName', [chosen]);
  return chosen;
}

/**
 * Converts with the org's rules when there are some (what the org doesn't know is reported rather than written),
 * narrowed to the usage logs when asked, without the high-risk user permissions unless kept (least privilege).
 */
async function convert(
  input: Input,
  name: string,
  options: ConvertOptions,
  rules: OrgRules | undefined,
  org: OrgAccess | undefined,
): Promise<{ conversion: ConversionResult; highRisk: HighRiskOutcome; usage?: UsageNarrowing }> {
  const prepared = rules && org ? org.applyOrgRules(input.profile, rules) : { input: input.profile, omitted: [] };
  // --narrow-to-usage: only the objects the user touched through the API (refuses, writing nothing, without logs)
  const logs =
    options.usageDays !== undefined && input.userId && options.conn
      ? await import('../access-reader/usage-logs.js')
      : undefined;
  const narrowed = logs
    ? narrowToUsage(
        prepared.input,
        await logs.readUsage(
          options.conn!,
          { id: input.userId!, username: input.effectiveAccess!.username },
          options.usageDays!,
        ),
      )
    : undefined;
  const policy = leaveOutHighRisk(narrowed?.input ?? prepared.input, {
    keep: options.keepPermissions,
    exclude: options.excludePermissions,
  });
  const conversion = convertToIntegrationPermissionSets(policy.input, {
    name,
    label: options.label,
    includeUi: options.includeUi,
    excludePermissions: options.excludePermissions,
    licensedUserPermissions: rules?.licensedUserPermissions,
    permissionLabels: rules?.permissionLabels,
    acknowledgedHighRisk: policy.outcome.kept,
  });
  addOmissions(conversion, [...prepared.omitted, ...(narrowed?.omitted ?? []), ...policy.omitted]);
  conversion.warnings.unshift(...input.warnings, ...(rules?.warnings ?? []));
  return { conversion, highRisk: policy.outcome, usage: narrowed?.usage };
}

/** A companion left by an earlier run would still grant what this run no longer puts in one (deploying the folder deploys it). */
async function staleCompanionWarning(outputDir: string, name: string): Promise<string | undefined> {
  const stale = `${name}${COMPANION_SUFFIX}`;
  const candidates = [join(outputDir, `${stale}.permissionset-meta.xml`), join(outputDir, stale)];
  const found = (await Promise.all(candidates.map(async (p) => ((await pathExists(p)) ? p : undefined)))).filter(
    (p): p is string => p !== undefined,
  );
  return found.length > 0 ? messages.getMessage('warning.staleCompanion', [found.join(', '), stale]) : undefined;
}

/** Reads, converts and writes; the result says what went where. */
export async function convertProfile(options: ConvertOptions): Promise<ConvertProfileResult> {
  const { conn } = options;
  const org = conn ? await loadOrgAccess() : undefined;
  const reader = conn ? new org!.PermissionSetReader(conn) : undefined;
  const input = await readInput(options, org, reader);
  const profileName = input.profile.fullName ?? basename(input.source);
  const name = checkedName(options.name, profileName);
  const rules = conn ? await org!.readOrgRules(conn, reader) : undefined;
  const { conversion, highRisk, usage } = await convert(input, name, options, rules, org);

  const outputDir = resolve(options.cwd, options.outputDir ?? (await resolveDefaultOutputDir(options.cwd)));
  // written for the API version the files will be deployed at: what it lacks is reported, never silently lost
  const target = await targetApiVersion({
    flag: options.apiVersion,
    projectDir: outputDir,
    orgVersion: conn?.getApiVersion(),
  });
  const fitted = fitToApiVersion(
    [conversion.main, ...(conversion.companion ? [conversion.companion] : [])],
    target.version,
  );
  conversion.omitted.push(...fitted.dropped.map((d) => ({ section: d.section, name: d.name, reason: d.reason })));
  if (fitted.dropped.length > 0) conversion.warnings.push(versionDropWarning(fitted.dropped, target.version));
  // an empty permission set would grant nothing: say so instead of writing one
  if (!fitted.docs.some((d) => Object.values(d.sections).some((entries) => (entries?.length ?? 0) > 0))) {
    throw messages
      .createError('error.NothingToGrant', [profileName, String(conversion.omitted.length)])
      .setData({ omitted: conversion.omitted });
  }
  const outside = await outsideProjectNotice(options.cwd, options.outputDir, outputDir);
  if (outside) conversion.warnings.unshift(outside);
  const written = await writePermissionSetSources(fitted.docs, { outputDir, force: options.force });
  const stale = conversion.companion ? undefined : await staleCompanionWarning(outputDir, name);
  if (stale) conversion.warnings.push(stale);

  const result = toResult(input.profile, profileName, input.source, outputDir, conversion, fitted.docs, written);
  result.apiVersion = target.version;
  result.highRisk = highRisk;
  if (usage) result.usage = usage;
  if (rules) result.licenseRules = rules.licensedUserPermissions ? 'org' : 'built-in';
  if (input.effectiveAccess) result.effectiveAccess = input.effectiveAccess;
  if (reader) result.readStats = reader.stats;
  return result;
}

function toResult(
  profile: ProfileDoc,
  profileName: string,
  source: string,
  outputDir: string,
  conversion: ConversionResult,
  docs: PermissionSetDoc[],
  written: string[],
): ConvertProfileResult {
  return {
    profile: profileName,
    source,
    outputDir,
    permissionSets: docs.map((doc) => {
      const single = join(outputDir, `${doc.fullName}.permissionset-meta.xml`);
      const folder = join(outputDir, doc.fullName) + sep;
      const files = written.filter((f) => f === single || f.startsWith(folder));
      return {
        name: doc.fullName,
        label: doc.label,
        license: doc.license ?? null,
        path: files.find((f) => basename(f) === `${doc.fullName}.permissionset-meta.xml`) ?? single,
        files,
        counts: Object.fromEntries(
          Object.entries(doc.sections).map(([section, entries]) => [section, entries?.length ?? 0]),
        ),
      };
    }),
    omitted: conversion.omitted,
    warnings: conversion.warnings,
    sections: conversion.counts,
    highRisk: { leftOut: [], kept: [], notHighRisk: [], notGranted: [] },
  };
}
