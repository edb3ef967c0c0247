import type { Connection } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import { soqlLiteral } from '../org-api/soql.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'environments');

export type EmailRepair = {
  username: string;
  /** the email the org holds */
  email: string;
  /** 'reported': left as it is; 'fixed' / 'planned' with --fix-email */
  status: 'reported' | 'fixed' | 'planned';
  wanted: string;
  message: string;
};

/**
 * A refreshed sandbox's users have emails ending in ".invalid" (Salesforce appends it on create and refresh). Reported
 * always; set back to the definition's email only when asked (`fix`), never on a dry run. Undefined when the user
 * doesn't exist or its email is usable.
 */
export async function checkRefreshedEmail(
  conn: Connection,
  username: string,
  wanted: string,
  options: { fix?: boolean; dryRun?: boolean } = {},
): Promise<EmailRepair | undefined> {
  const { records } = await conn.query<{ Id: string; Username: string; Email: string | null }>(
    `SELECT Id, Username, Email FROM User WHERE Username = ${soqlLiteral(username)}`,
  );
  const user = records[0];
  if (!user?.Email || !user.Email.toLowerCase().endsWith('.invalid')) return undefined;
  const base = { username: user.Username, email: user.Email, wanted };
  if (!options.fix)
    return {
      ...base,
      status: 'reported',
      message: messages.getMessage('warning.invalidEmail', [user.Username, user.Email, wanted]),
    };
  if (options.dryRun)
    return {
      ...base,
      status: 'planned',
      message: messages.getMessage('info.emailWouldFix', [user.Username, user.Email, wanted]),
    };
  await conn.sobject('User').update({ Id: user.Id, Email: wanted });
  return {
    ...base,
    status: 'fixed',
    message: messages.getMessage('info.emailFixed', [user.Username, user.Email, wanted]),
  };
}
