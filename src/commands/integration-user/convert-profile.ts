import { SfCommand, Flags } from '@salesforce/sf-plugins-core';
import { copyAccessFlags } from '../../cli/flags.js';
import { Messages } from '@salesforce/core';
import { assertApiVersionSupported } from '../../org-api/api-version.js';
// the converter and its readers load in run(), not when sf lists or helps commands (issue 12)
import type { ConvertProfileResult, ProfileSource } from '../../convert/convert-service.js';
import { exitCodesHelp } from '../../cli/exit-codes.js';
import { hasExplicitTargetOrg } from '../../cli/target-org.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.convert-profile');

export type { ConvertedPermissionSet, ConvertProfileResult } from '../../convert/convert-service.js';

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
    ...copyAccessFlags(messages),
    force: Flags.boolean({
      char: 'f',
      summary: messages.getMessage('flags.force.summary'),
    }),
  };

  public async run(): Promise<ConvertProfileResult> {
    const { flags } = await this.parse(ConvertProfile);
    // what needs no org is checked before the (possibly long) read
    const [{ checkOutputDir }, { COMPANION_SUFFIX, isValidApiName }, { checkKeepAndExclude }, { convertProfile }] =
      await Promise.all([
        import('../../metadata/output-dir.js'),
        import('../../permissions/convert.js'),
        import('../../permissions/least-privilege.js'),
        import('../../convert/convert-service.js'),
      ]);
    if (flags['output-dir']) await checkOutputDir(flags['output-dir']);
    if (flags.name && (!isValidApiName(flags.name) || flags.name.length + COMPANION_SUFFIX.length > 80)) {
      throw messages.createError('error.InvalidName', [flags.name]);
    }
    checkKeepAndExclude(flags['keep-permission'], flags['exclude-permission']);
    const usageDays = flags['narrow-to-usage']
      ? (await import('../../access-reader/usage-logs.js')).usageWindow(flags['usage-days'])
      : undefined;

    // a file converts offline unless --target-org is given explicitly (a configured default org isn't enough)
    const org = flags['source-file'] && !hasExplicitTargetOrg(this.argv) ? undefined : flags['target-org'];
    if (!org && !flags['source-file']) throw messages.createError('error.NoTargetOrg');
    const conn = org?.getConnection(flags['api-version']);
    if (conn) await assertApiVersionSupported(conn, flags['api-version']);
    const source: ProfileSource = flags['source-file']
      ? { sourceFile: flags['source-file'] }
      : flags.profile
        ? { profile: flags.profile }
        : { fromUser: flags['from-user']! };
    const result = await convertProfile({
      source,
      conn,
      orgName: org ? (org.getUsername() ?? org.getOrgId()) : undefined,
      name: flags.name,
      label: flags.label,
      includeUi: flags['include-ui'],
      excludePermissions: flags['exclude-permission'],
      keepPermissions: flags['keep-permission'],
      usageDays,
      outputDir: flags['output-dir'],
      apiVersion: flags['api-version'],
      force: flags.force,
      cwd: process.cwd(),
    });
    const { renderConversion } = await import('../../convert/render.js');
    renderConversion(this, result);
    return result;
  }
}
