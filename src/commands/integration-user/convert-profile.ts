import { assertApiVersionSupported, targetApiVersion, versionDropWarning } from '../../org/api-version.js';
import { fitToApiVersion } from '../../permissions/element-versions.js';
import { basename, join, resolve, sep } from 'node:path';
import { SfCommand, Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core';
import {
  convertToIntegrationPermissionSets,
  isValidApiName,
  permissionSetNameFromProfile,
  COMPANION_SUFFIX,
  type ConversionResult,
  type OmittedEntry,
  type SectionCounts,
} from '../../permissions/convert.js';
import type { PermissionSetDoc } from '../../permissions/model.js';
import { readProfileFile, type ProfileDoc } from '../../profile/read-profile.js';
import { resolveDefaultOutputDir, writePermissionSetSources } from '../../metadata/write-sources.js';
import { pathExists } from '../../metadata/project-paths.js';
// the org readers load only when an org is used: a file converts offline without them (issue 12)
import type { AccessSource } from '../../org-access/effective-access.js';
import type { GrantSources, MutedGrant } from '../../org-access/merge-access.js';
import type { ReadStats } from '../../org-access/query.js';
import { exitCodesHelp } from '../../cli/exit-codes.js';
import { hasExplicitTargetOrg } from '../../cli/target-org.js';

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
  effectiveAccess?: { username: string; profile?: string; sources: AccessSource[]; grantSources: GrantSources; muted: MutedGrant[] };
  /** with --profile or --from-user: queries sent to the org */
  readStats?: ReadStats;
};

export default class ConvertProfile extends SfCommand<ConvertProfileResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(['0', '1', '2']);

  public static readonly flags = {
    'source-file': Flags.file({
      char: 's',
      summary: messages.getMessage('flags.source-file.summary'),
      description: messages.getMessage('flags.source-file.description'),
      // read errors are reported by the reader, with actions
      exactlyOne: ['source-file', 'profile', 'from-user'],
    }),
    profile: Flags.string({
      summary: messages.getMessage('flags.profile.summary'),
      description: messages.getMessage('flags.profile.description'),
      exactlyOne: ['source-file', 'profile', 'from-user'],
    }),
    'from-user': Flags.string({
      summary: messages.getMessage('flags.from-user.summary'),
      description: messages.getMessage('flags.from-user.description'),
      exactlyOne: ['source-file', 'profile', 'from-user'],
    }),
    'target-org': Flags.optionalOrg({
      summary: messages.getMessage('flags.target-org.summary'),
      description: messages.getMessage('flags.target-org.description'),
    }),
    'api-version': Flags.orgApiVersion(),
    name: Flags.string({
      char: 'n',
      summary: messages.getMessage('flags.name.summary'),
      description: messages.getMessage('flags.name.description'),
    }),
    label: Flags.string({
      char: 'l',
      summary: messages.getMessage('flags.label.summary'),
    }),
    'output-dir': Flags.directory({
      char: 'd',
      summary: messages.getMessage('flags.output-dir.summary'),
      description: messages.getMessage('flags.output-dir.description'),
    }),
    'include-ui': Flags.boolean({
      summary: messages.getMessage('flags.include-ui.summary'),
      description: messages.getMessage('flags.include-ui.description'),
    }),
    'exclude-permission': Flags.string({
      char: 'x',
      summary: messages.getMessage('flags.exclude-permission.summary'),
      description: messages.getMessage('flags.exclude-permission.description'),
      multiple: true,
    }),
    force: Flags.boolean({
      char: 'f',
      summary: messages.getMessage('flags.force.summary'),
    }),
  };

  public async run(): Promise<ConvertProfileResult> {
    const { flags } = await this.parse(ConvertProfile);

    // a file converts offline unless --target-org is given explicitly (a configured default org isn't enough)
    const explicitOrg = hasExplicitTargetOrg(this.argv);
    const org = flags['source-file'] && !explicitOrg ? undefined : flags['target-org'];
    if (!org && !flags['source-file']) throw messages.createError('error.NoTargetOrg');
    const conn = org?.getConnection(flags['api-version']);
    if (conn) await assertApiVersionSupported(conn, flags['api-version']);
    const orgAccess = conn ? await loadOrgAccess() : undefined;
    const reader = conn ? new orgAccess!.PermissionSetReader(conn) : undefined;

    let source: string;
    let profile: ProfileDoc;
    let effectiveAccess: ConvertProfileResult['effectiveAccess'];
    const readWarnings: string[] = [];
    if (flags['source-file']) {
      source = resolve(flags['source-file']);
      profile = await readProfileFile(source);
    } else if (flags.profile) {
      const read = await orgAccess!.readProfileFromOrg(conn!, flags.profile, reader);
      source = `${org!.getUsername() ?? org!.getOrgId()}: profile ${flags.profile}`;
      profile = read.doc;
      readWarnings.push(...read.warnings);
    } else {
      const access = await orgAccess!.readEffectiveAccess(conn!, flags['from-user']!, reader);
      source = `${org!.getUsername() ?? org!.getOrgId()}: user ${access.user.username}`;
      profile = access.doc;
      readWarnings.push(...access.warnings);
      effectiveAccess = {
        username: access.user.username,
        profile: access.user.profile,
        sources: access.sources,
        grantSources: access.grantSources,
        muted: access.muted,
      };
    }
    const profileName = profile.fullName ?? basename(source);

    const name = flags.name ?? permissionSetNameFromProfile(profileName);
    if (!isValidApiName(name) || name.length + COMPANION_SUFFIX.length > 80) {
      throw messages.createError('error.InvalidName', [name]);
    }

    // connected: the org's license rules, and what the org doesn't know is reported rather than written
    const rules = conn ? await orgAccess!.readOrgRules(conn, reader) : undefined;
    const prepared = rules ? orgAccess!.applyOrgRules(profile, rules) : { input: profile, omitted: [] };
    const conversion = convertToIntegrationPermissionSets(prepared.input, {
      name,
      label: flags.label,
      includeUi: flags['include-ui'],
      excludePermissions: flags['exclude-permission'],
      licensedUserPermissions: rules?.licensedUserPermissions,
      permissionLabels: rules?.permissionLabels,
    });
    for (const o of prepared.omitted) {
      conversion.omitted.push(o);
      (conversion.counts[o.section] ??= { carried: 0, companion: 0, omitted: 0 }).omitted++;
    }
    conversion.warnings.unshift(...readWarnings, ...(rules?.warnings ?? []));

    const outputDir = resolve(flags['output-dir'] ?? (await resolveDefaultOutputDir(process.cwd())));
    // written for the API version the files will be deployed at: what it lacks is reported, never silently lost
    const target = await targetApiVersion({ flag: flags['api-version'], projectDir: outputDir, orgVersion: conn?.getApiVersion() });
    const fitted = fitToApiVersion([conversion.main, ...(conversion.companion ? [conversion.companion] : [])], target.version);
    const docs = fitted.docs;
    conversion.omitted.push(...fitted.dropped.map((d) => ({ section: d.section, name: d.name, reason: d.reason })));
    if (fitted.dropped.length > 0) conversion.warnings.push(versionDropWarning(fitted.dropped, target.version));
    const written = await writePermissionSetSources(docs, { outputDir, force: flags.force });
    if (!conversion.companion) {
      // a companion left by an earlier run would still grant what this run no longer puts in one (deploying the folder deploys it)
      const stale = `${name}${COMPANION_SUFFIX}`;
      const found = (
        await Promise.all([join(outputDir, `${stale}.permissionset-meta.xml`), join(outputDir, stale)].map(async (p) => ((await pathExists(p)) ? p : undefined)))
      ).filter((p): p is string => p !== undefined);
      if (found.length > 0) conversion.warnings.push(messages.getMessage('warning.staleCompanion', [found.join(', '), stale]));
    }

    const result = toResult(profile, profileName, source, outputDir, conversion, docs, written);
    result.apiVersion = target.version;
    if (rules) result.licenseRules = rules.licensedUserPermissions ? 'org' : 'built-in';
    if (effectiveAccess) result.effectiveAccess = effectiveAccess;
    if (reader) result.readStats = reader.stats;
    this.report(result);
    return result;
  }

  private report(result: ConvertProfileResult): void {
    this.styledHeader(messages.getMessage('header.sections', [result.profile]));
    if (Object.keys(result.sections).length === 0) this.log(messages.getMessage('nothingGranted'));
    else this.table({
      data: Object.entries(result.sections).map(([section, c]) => ({
        section,
        carried: c.carried,
        companion: c.companion,
        omitted: c.omitted,
      })),
      columns: [
        { key: 'section', name: 'Profile section' },
        { key: 'carried', name: 'Carried' },
        { key: 'companion', name: 'Companion' },
        { key: 'omitted', name: 'Omitted' },
      ],
    });

    this.styledHeader(messages.getMessage('header.written'));
    this.table({
      data: result.permissionSets.map((ps) => ({
        name: ps.name,
        license: ps.license ?? messages.getMessage('noLicense'),
        entries: Object.values(ps.counts).reduce((a, b) => a + b, 0),
        path: ps.path,
      })),
      columns: [
        { key: 'name', name: 'Permission set' },
        { key: 'license', name: 'License' },
        { key: 'entries', name: 'Entries' },
        { key: 'path', name: 'Path' },
      ],
    });

    if (result.effectiveAccess) {
      this.styledHeader(messages.getMessage('header.sources', [result.effectiveAccess.username]));
      this.table({ data: sourceCounts(result.effectiveAccess) });
    }

    if (result.omitted.length > 0) {
      this.styledHeader(messages.getMessage('header.omitted', [result.omitted.length]));
      this.table({ data: groupOmissions(result.omitted) });
    }
    for (const warning of result.warnings) this.warn(warning);
  }
}

function toResult(
  profile: ProfileDoc,
  profileName: string,
  source: string,
  outputDir: string,
  conversion: ConversionResult,
  docs: PermissionSetDoc[],
  written: string[]
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
        counts: Object.fromEntries(Object.entries(doc.sections).map(([section, entries]) => [section, entries?.length ?? 0])),
      };
    }),
    omitted: conversion.omitted,
    warnings: conversion.warnings,
    sections: conversion.counts,
  };
}

/** Omissions grouped by section and reason, with a few names each: the full list is in --json. */
function groupOmissions(omitted: OmittedEntry[]): Array<{ section: string; count: number; reason: string; examples: string }> {
  const groups = new Map<string, { section: string; reason: string; names: string[] }>();
  for (const o of omitted) {
    const id = `${o.section}\u0000${o.reason}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { section: o.section, reason: o.reason, names: [] }));
    group.names.push(o.label ? `${o.name} (${o.label})` : o.name);
  }
  return [...groups.values()].map((g) => ({
    section: g.section,
    count: g.names.length,
    reason: g.reason,
    examples: g.names.length > 3 ? `${g.names.slice(0, 3).join(', ')}, …` : g.names.join(', '),
  }));
}

/** How many grants each source of a user's access gives (a grant given twice counts for both). */
function sourceCounts(access: NonNullable<ConvertProfileResult['effectiveAccess']>): Array<{ source: string; grants: number }> {
  const counts = new Map<string, number>(access.sources.map((s) => [s.source, 0]));
  for (const byName of Object.values(access.grantSources)) {
    for (const byGrant of Object.values(byName)) {
      for (const sources of Object.values(byGrant)) for (const s of sources) counts.set(s, (counts.get(s) ?? 0) + 1);
    }
  }
  return [...counts].map(([source, grants]) => ({ source, grants }));
}

/** The org-reading modules, loaded when --target-org is used. */
async function loadOrgAccess(): Promise<{
  PermissionSetReader: typeof import('../../org-access/read-permission-sets.js').PermissionSetReader;
  readProfileFromOrg: typeof import('../../org-access/read-profile-from-org.js').readProfileFromOrg;
  readEffectiveAccess: typeof import('../../org-access/effective-access.js').readEffectiveAccess;
  readOrgRules: typeof import('../../org-access/org-rules.js').readOrgRules;
  applyOrgRules: typeof import('../../org-access/org-rules.js').applyOrgRules;
}> {
  const [a, b, c, d] = await Promise.all([
    import('../../org-access/read-permission-sets.js'),
    import('../../org-access/read-profile-from-org.js'),
    import('../../org-access/effective-access.js'),
    import('../../org-access/org-rules.js'),
  ]);
  return { PermissionSetReader: a.PermissionSetReader, readProfileFromOrg: b.readProfileFromOrg, readEffectiveAccess: c.readEffectiveAccess, readOrgRules: d.readOrgRules, applyOrgRules: d.applyOrgRules };
}
