import { assertApiVersionSupported } from '../../org-api/api-version.js';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { SfCommand, Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core';
// the org reader and the report load in run(), not when sf lists or helps commands (issue 12)
import type { AuditResult } from '../../audit/audit.js';
import { DEFAULT_FULL_LICENSE_PER_YEAR, DEFAULT_INTEGRATION_LICENSE_PER_MONTH } from '../../audit/savings.js';
import { exitCodesHelp } from '../../cli/exit-codes.js';
import { targetOrgLabel } from '../../cli/target-org.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.audit');

export type AuditCommandResult = AuditResult & { outputFile?: string };

// oclif's flag parser returns a promise; nothing here waits, so it is built rather than async
function parseAmount(input: string): Promise<number> {
  const n = Number(input.replace(/,/g, ''));
  if (input.trim() === '' || !Number.isFinite(n) || n < 0)
    return Promise.reject(messages.createError('error.badAmount', [input]));
  return Promise.resolve(n);
}
const amount = Flags.custom<number>({ parse: parseAmount });

export default class Audit extends SfCommand<AuditCommandResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(['0', '1', '2']);

  public static readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    days: Flags.integer({ summary: messages.getMessage('flags.days.summary'), min: 1, max: 180, default: 90 }),
    'license-cost': amount({
      summary: messages.getMessage('flags.license-cost.summary'),
      default: DEFAULT_FULL_LICENSE_PER_YEAR,
    }),
    'integration-license-cost': amount({
      summary: messages.getMessage('flags.integration-license-cost.summary'),
      default: DEFAULT_INTEGRATION_LICENSE_PER_MONTH,
    }),
    'output-file': Flags.file({ summary: messages.getMessage('flags.output-file.summary'), char: 'f' }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary') }),
    'max-login-rows': Flags.integer({
      summary: messages.getMessage('flags.max-login-rows.summary'),
      min: 1,
      default: 500_000,
    }),
    'login-query': Flags.option({
      summary: messages.getMessage('flags.login-query.summary'),
      options: ['aggregate', 'rows'] as const,
      default: 'aggregate',
      hidden: true,
    })(),
  };

  public async run(): Promise<AuditCommandResult> {
    const { flags } = await this.parse(Audit);
    const [{ runAudit }, { formatForFile, renderReport }, { printAudit }, { isConnectionError }] = await Promise.all([
      import('../../audit/audit.js'),
      import('../../audit/render.js'),
      import('../../audit/terminal.js'),
      import('../../org-api/api-errors.js'),
    ]);
    const outputFile = flags['output-file'];
    const format = outputFile ? formatForFile(outputFile) : undefined;
    // Check the file before the (possibly long) read of the org.
    if (outputFile && !format) throw messages.createError('error.badExtension', [outputFile]);
    if (outputFile && existsSync(outputFile) && !flags.force)
      throw messages.createError('error.fileExists', [outputFile]);

    const org = flags['target-org'];
    const conn = org.getConnection(flags['api-version']);
    await assertApiVersionSupported(conn, flags['api-version']);

    this.spinner.start(messages.getMessage('progress.title'));
    let result: AuditResult;
    try {
      result = await runAudit(conn, {
        days: flags.days,
        fullLicensePerYear: flags['license-cost'],
        integrationLicensePerMonth: flags['integration-license-cost'],
        maxLoginRows: flags['max-login-rows'],
        mode: flags['login-query'],
        targetOrg: targetOrgLabel(this.argv, org),
        onProgress: (status) => {
          this.spinner.status = messages.getMessage('progress.reading', [status]);
        },
      });
    } catch (e) {
      // never "done" before knowing
      this.spinner.stop('failed');
      if (isConnectionError(e)) throw messages.createError('error.connectionLost', [(e as Error).message]);
      throw e;
    }
    this.spinner.stop();

    printAudit(this, result);
    if (outputFile && format) {
      await writeFile(outputFile, renderReport(result, format), { encoding: 'utf8', flag: flags.force ? 'w' : 'wx' });
      this.logSuccess(messages.getMessage('info.written', [outputFile]));
      return { ...result, outputFile };
    }
    return result;
  }
}
