import { assertApiVersionSupported, CONNECT_OLDEST_API_VERSION } from '../../org-api/api-version.js';
import { resolve } from 'node:path';
import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { deployFlags } from '../../cli/flags.js';
// the service (app metadata, deploy) loads in run(), not when sf lists or helps commands (issue 12)
import type { ConnectResult } from '../../connect/connect.js';
import { pollInterval } from '../../metadata/poll.js';
import { exitCodesHelp } from '../../cli/exit-codes.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.connect');

export type IntegrationUserConnectResult = ConnectResult;

export default class IntegrationUserConnect extends SfCommand<IntegrationUserConnectResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(['0', '1', '2']);

  public static readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    username: Flags.string({ summary: messages.getMessage('flags.username.summary'), required: true }),
    'app-name': Flags.string({ summary: messages.getMessage('flags.app-name.summary'), required: true }),
    label: Flags.string({ summary: messages.getMessage('flags.label.summary') }),
    scopes: Flags.string({
      summary: messages.getMessage('flags.scopes.summary'),
      description: messages.getMessage('flags.scopes.description'),
      delimiter: ',',
      multiple: true,
    }),
    'callback-url': Flags.string({ summary: messages.getMessage('flags.callback-url.summary') }),
    'output-dir': Flags.directory({ summary: messages.getMessage('flags.output-dir.summary') }),
    ...deployFlags(messages),
  };

  public async run(): Promise<IntegrationUserConnectResult> {
    const { flags } = await this.parse(IntegrationUserConnect);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    await assertApiVersionSupported(conn, flags['api-version'], CONNECT_OLDEST_API_VERSION);
    const [{ checkOutputDir, outsideProjectNotice }, { resolveMetadataBaseDir }, { runConnect }, { printConnect }] =
      await Promise.all([
        import('../../metadata/output-dir.js'),
        import('../../connect/files.js'),
        import('../../connect/connect.js'),
        import('../../connect/terminal.js'),
      ]);
    if (flags['output-dir']) await checkOutputDir(flags['output-dir']);
    const baseDir = flags['output-dir'] ? resolve(flags['output-dir']) : await resolveMetadataBaseDir(process.cwd());
    const outside = await outsideProjectNotice(process.cwd(), flags['output-dir'], baseDir);

    this.spinner.start(
      messages.getMessage('info.status', [flags['app-name'], flags['dry-run'] ? 'planning' : 'connecting']),
    );
    let result: ConnectResult;
    try {
      result = await runConnect({
        conn,
        username: flags.username,
        appName: flags['app-name'],
        label: flags.label,
        scopes: flags.scopes,
        callbackUrl: flags['callback-url'],
        baseDir,
        dryRun: flags['dry-run'],
        force: flags.force,
        deploy: { waitMinutes: flags.wait.minutes, pollFrequencyMs: pollInterval(flags['poll-interval']) },
      });
    } catch (e) {
      // never "done" before knowing
      this.spinner.stop('failed');
      throw e;
    }
    this.spinner.stop();
    if (outside) result.warnings.unshift(outside);

    printConnect(this, result);
    return result;
  }
}
