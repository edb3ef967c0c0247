/** `connect`'s terminal output: warnings, the plan, the XML of a dry run, the components deployed, next steps. */
import { Messages } from '@salesforce/core';
import type { SfCommand } from '@salesforce/sf-plugins-core';
import { renderTable } from '../ux/text-table.js';
import type { ConnectResult } from './connect.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.connect');

type Output = Pick<SfCommand<unknown>, 'log' | 'warn'>;

export function printConnect(out: Output, result: ConnectResult): void {
  for (const warning of result.warnings) out.warn(warning);
  out.log(messages.getMessage('info.plan', [result.appName, result.username, result.scopes.join(', ')]));
  for (const c of result.xml ?? []) {
    out.log(messages.getMessage('info.xml', [c.type, c.fullName]));
    out.log(c.xml);
  }
  if (!result.dryRun) {
    const columns = [
      { key: 'type' as const, name: 'Type' },
      { key: 'name' as const, name: 'Name', whole: true },
      { key: 'file' as const, name: 'File' },
      { key: 'path' as const, name: 'Path', whole: true },
    ];
    const rows = result.components.map((c) => ({ type: c.type, name: c.fullName, file: c.file, path: c.path }));
    for (const line of renderTable(rows, columns)) out.log(line);
    out.log(
      messages.getMessage('info.status', [
        result.appName,
        result.deployId ? `${result.status} (deploy ${result.deployId})` : result.status,
      ]),
    );
  }
  out.log('');
  for (const line of result.nextSteps) out.log(`- ${line}`);
}
