import { Messages, SfError } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.create');

/** Generated files on disk differ from this run's: the run stops before changing the org (recognised by class). */
export class GeneratedFileDiffersError extends SfError {
  public constructor(existing: readonly string[]) {
    super(
      messages.getMessage('error.GeneratedFileDiffers', [existing.map((f) => `\n  ${f}`).join('')]),
      'GeneratedFileDiffersError',
      messages.getMessages('error.GeneratedFileDiffers.actions'),
    );
  }
}
