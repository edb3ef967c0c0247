import { assertApiVersionSupported } from '../../org-api/api-version.js';
import { resolve } from 'node:path';
import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { DEFAULT_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../password/generate.js';
// the service loads in run(), not when sf lists or helps commands (issue 12)
import type { PasswordAction } from '../../password/password.js';
import { exitCodesHelp } from '../../cli/exit-codes.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.password');

export type IntegrationUserPasswordResult = {
  username: string;
  userId: string;
  action: PasswordAction;
  passwordSet: true;
  /** only with --show-password */
  password?: string;
  outputFile?: string;
  /** reset passwords must be changed at the next login */
  expired: boolean;
};

export default class IntegrationUserPassword extends SfCommand<IntegrationUserPasswordResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(['0', '1', '2']);

  public static readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    username: Flags.string({ summary: messages.getMessage('flags.username.summary'), required: true }),
    generate: Flags.boolean({
      summary: messages.getMessage('flags.generate.summary'),
      exactlyOne: ['generate', 'reset'],
    }),
    reset: Flags.boolean({ summary: messages.getMessage('flags.reset.summary'), exactlyOne: ['generate', 'reset'] }),
    'show-password': Flags.boolean({ summary: messages.getMessage('flags.show-password.summary'), default: false }),
    'output-file': Flags.file({ summary: messages.getMessage('flags.output-file.summary') }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary'), default: false }),
    length: Flags.integer({
      summary: messages.getMessage('flags.length.summary'),
      min: MIN_PASSWORD_LENGTH,
      max: 128,
      default: DEFAULT_PASSWORD_LENGTH,
    }),
  };

  public async run(): Promise<IntegrationUserPasswordResult> {
    const { flags } = await this.parse(IntegrationUserPassword);
    const outputFile = flags['output-file'] ? resolve(flags['output-file']) : undefined;
    // a password set but shown nowhere is a locked-out integration: refuse before changing anything
    if (this.jsonEnabled() && !flags['show-password'] && !outputFile)
      throw messages.createError('error.PasswordWouldBeLost');

    const conn = flags['target-org'].getConnection(flags['api-version']);
    await assertApiVersionSupported(conn, flags['api-version']);
    this.spinner.start(messages.getMessage('info.setting', [flags.username]));
    let outcome;
    try {
      const { changePassword } = await import('../../password/password.js');
      outcome = await changePassword({
        conn,
        username: flags.username,
        action: flags.generate ? 'generate' : 'reset',
        outputFile,
        force: flags.force,
        length: flags.length,
      });
    } catch (e) {
      // never "done" before knowing
      this.spinner.stop('failed');
      throw e;
    }
    this.spinner.stop();
    const u = outcome.user;
    this.log(messages.getMessage('info.userIs', [u.username, u.profileName ?? 'unknown', u.userLicense ?? 'unknown']));

    if (outputFile) {
      this.log(messages.getMessage('info.written', [outcome.username, outputFile]));
    } else {
      // the one place the password is shown (suppressed with --json, where --show-password decides)
      this.log(messages.getMessage('info.password', [outcome.username]));
      this.log(`  ${outcome.password}`);
    }
    if (outcome.expired) this.log(messages.getMessage('info.expired'));
    this.log('');
    this.log(messages.getMessage('info.guidance'));
    this.log(messages.getMessage('info.preferConnect', [outcome.username]));

    return {
      username: outcome.username,
      userId: outcome.userId,
      action: outcome.action,
      passwordSet: true,
      ...(flags['show-password'] ? { password: outcome.password } : {}),
      ...(outputFile ? { outputFile } : {}),
      expired: outcome.expired ?? false,
    };
  }
}
