import { assertApiVersionSupported } from '../../org-api/api-version.js';
import { resolve } from 'node:path';
import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
// the org readers and the comparison load in run(), not when sf lists or helps commands (issue 12)
import type { OrgComparison } from '../../compare/from-org.js';
import { exitCodesHelp } from '../../cli/exit-codes.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.compare');

export type IntegrationUserCompareResult = OrgComparison & { outputFile?: string };

export default class IntegrationUserCompare extends SfCommand<IntegrationUserCompareResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(['0', '1', '2']);

  public static readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    user: Flags.string({
      char: 'u',
      summary: messages.getMessage('flags.user.summary'),
      multiple: true,
      required: true,
    }),
    'permission-set': Flags.string({
      char: 'p',
      summary: messages.getMessage('flags.permission-set.summary'),
      multiple: true,
    }),
    'output-file': Flags.file({ char: 'f', summary: messages.getMessage('flags.output-file.summary') }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary') }),
    all: Flags.boolean({ char: 'a', summary: messages.getMessage('flags.all.summary') }),
    'keep-permission': Flags.string({ summary: messages.getMessage('flags.keep-permission.summary'), multiple: true }),
  };

  public async run(): Promise<IntegrationUserCompareResult> {
    const { flags } = await this.parse(IntegrationUserCompare);
    const users = flags.user;
    const sets = flags['permission-set'] ?? [];
    if (!((users.length === 2 && sets.length === 0) || (users.length === 1 && sets.length > 0))) {
      throw messages.createError('error.WrongSides');
    }
    const conn = flags['target-org'].getConnection(flags['api-version']);
    await assertApiVersionSupported(conn, flags['api-version']);
    const [{ compareInOrg }, { writeComparisonFile }, { printComparison }] = await Promise.all([
      import('../../compare/from-org.js'),
      import('../../compare/render.js'),
      import('../../compare/terminal.js'),
    ]);
    const result: IntegrationUserCompareResult = await compareInOrg(
      conn,
      { user: users[0] },
      users.length === 2 ? { user: users[1] } : { permissionSets: sets },
      { includeSame: flags.all, keepPermissions: flags['keep-permission'] },
    );
    if (flags['output-file']) {
      const path = resolve(flags['output-file']);
      const format = await writeComparisonFile(path, result.comparison, flags.force);
      result.outputFile = path;
      this.log(messages.getMessage('info.written', [format, path]));
    }
    printComparison(this, result, flags.all);
    return result;
  }
}
