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
};

export default class ConvertProfile extends SfCommand<ConvertProfileResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'source-file': Flags.file({
      char: 's',
      summary: messages.getMessage('flags.source-file.summary'),
      description: messages.getMessage('flags.source-file.description'),
      // read errors are reported by the reader, with actions
      required: true,
    }),
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

    // the one input for now; a profile retrieved from --target-org will be another loader returning a ProfileDoc
    const source = resolve(flags['source-file']);
    const profile = await readProfileFile(source);
    const profileName = profile.fullName ?? basename(source);

    const name = flags.name ?? permissionSetNameFromProfile(profileName);
    if (!isValidApiName(name) || name.length + COMPANION_SUFFIX.length > 80) {
      throw messages.createError('error.InvalidName', [name]);
    }

    const conversion = convertToIntegrationPermissionSets(profile, {
      name,
      label: flags.label,
      includeUi: flags['include-ui'],
      excludePermissions: flags['exclude-permission'],
    });

    const outputDir = resolve(flags['output-dir'] ?? (await resolveDefaultOutputDir(process.cwd())));
    const docs = [conversion.main, ...(conversion.companion ? [conversion.companion] : [])];
    const written = await writePermissionSetSources(docs, { outputDir, force: flags.force });

    const result = toResult(profile, profileName, source, outputDir, conversion, docs, written);
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
    group.names.push(o.name);
  }
  return [...groups.values()].map((g) => ({
    section: g.section,
    count: g.names.length,
    reason: g.reason,
    examples: g.names.length > 3 ? `${g.names.slice(0, 3).join(', ')}, …` : g.names.join(', '),
  }));
}
