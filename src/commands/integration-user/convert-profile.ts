import { SfCommand, Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.convert-profile');

export type ConvertProfileResult = { ok: boolean };

export default class ConvertProfile extends SfCommand<ConvertProfileResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'source-file': Flags.file({ summary: messages.getMessage('flags.source-file.summary'), exists: true }),
  };

  public async run(): Promise<ConvertProfileResult> {
    await this.parse(ConvertProfile);
    return { ok: true };
  }
}
