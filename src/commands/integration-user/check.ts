import { access, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { exitCodesHelp } from '../../cli/exit-codes.js';
import { DRIFT_EXIT_CODE } from '../../drift/exit-code.js';
// the definitions, the org readers and the report load in run(), not when sf lists or helps commands (issue 12)
import type { CheckResult } from '../../drift/render.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.check');

export type IntegrationUserCheckResult = CheckResult;

export default class IntegrationUserCheck extends SfCommand<IntegrationUserCheckResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(['0', '1', '2'], {
    '0': messages.getMessage('exit.0'),
    '1': messages.getMessage('exit.1'),
    [String(DRIFT_EXIT_CODE)]: messages.getMessage('exit.drift'),
  });

  public static readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    'definition-file': Flags.string({
      summary: messages.getMessage('flags.definition-file.summary'),
      multiple: true,
      required: true,
    }),
    'username-suffix': Flags.string({ summary: messages.getMessage('flags.username-suffix.summary') }),
    'output-file': Flags.file({ summary: messages.getMessage('flags.output-file.summary') }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary'), default: false }),
  };

  public async run(): Promise<IntegrationUserCheckResult> {
    const { flags } = await this.parse(IntegrationUserCheck);
    const { loadDefinitions } = await import('../../create/definitions.js');
    const loaded = await loadDefinitions(flags['definition-file']);
    const output = flags['output-file'] ? resolve(flags['output-file']) : undefined;
    // refuse before reading the org: an existing summary is replaced only with --force
    if (
      output &&
      !flags.force &&
      (await access(output).then(
        () => true,
        () => false,
      ))
    )
      throw messages.createError('error.OutputExists', [output]);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    const [{ checkDefinitions }, { driftMarkdown, driftRows }, { renderTable }] = await Promise.all([
      import('../../drift/check-definitions.js'),
      import('../../drift/render.js'),
      import('../../ux/text-table.js'),
    ]);
    this.spinner.start(messages.getMessage('spinner.reading'));
    const result = await checkDefinitions(conn, loaded, {
      usernameSuffix: flags['username-suffix'],
      cwd: process.cwd(),
    });
    const managed = result.withoutDefinition;
    this.spinner.stop(result.inSync ? messages.getMessage('spinner.inSync') : messages.getMessage('spinner.drift'));
    if (output) {
      await writeFile(output, driftMarkdown(result));
      result.outputFile = output;
    }
    // usernames whole, details wrapped: readable at 80 columns and in CI logs
    const columns = [
      { key: 'user' as const, name: 'User', whole: true },
      { key: 'kind' as const, name: 'Drift' },
      { key: 'detail' as const, name: 'Detail' },
    ];
    for (const line of renderTable(driftRows(result), columns)) this.log(line);
    if (managed.length)
      this.warn(messages.getMessage('warning.withoutDefinition', [managed.map((u) => u.username).join(', ')]));
    if (output) this.log(messages.getMessage('info.written', [output]));
    // a result, not an error: --json still carries every drift, with the exit code in "status"
    if (!result.inSync) process.exitCode = DRIFT_EXIT_CODE;
    return result;
  }
}
