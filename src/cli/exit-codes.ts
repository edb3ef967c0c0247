import { Messages } from '@salesforce/core';
import { toHelpSection } from '@salesforce/sf-plugins-core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'exit-codes');

/** 68: a run that did part of its work and stopped; re-running the same command resumes it (as `sf project deploy` uses it). */
type Code = '0' | '1' | '2' | '68';

/**
 * The ERROR CODES help section, as plugin-deploy-retrieve shows it. Each command lists the codes it can end with;
 * `own` overrides or adds a command's own wording (retire's refusals, check's drift).
 */
export function exitCodesHelp(
  codes: readonly Code[],
  own: Record<string, string> = {},
): ReturnType<typeof toHelpSection> {
  const common = Object.fromEntries(codes.map((c) => [c, messages.getMessage(`exit.${c}`)]));
  return toHelpSection('ERROR CODES', { ...common, ...own });
}
