/**
 * What `create` prints after its stages: what copied access left out on purpose, warnings, the XML of a dry run, the
 * comparison with the old user, the next steps; for several definitions, one table.
 */
import { basename } from 'node:path';
import { Messages } from '@salesforce/core';
import type { SfCommand } from '@salesforce/sf-plugins-core';
import { leftOutBlocks } from '../permissions/least-privilege.js';
import { renderTable } from '../ux/text-table.js';
import type { CreateResult } from './types.js';
import type { CreateManyResult } from './run-definitions.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.create');

type Output = Pick<SfCommand<unknown>, 'log' | 'warn' | 'styledHeader' | 'styledJSON'>;

/** The two blocks that say what copied access left out on purpose: high-risk permissions, unused objects. */
function renderLeastPrivilege(out: Output, result: CreateResult): void {
  for (const block of leftOutBlocks(result.highRisk, result.usage)) {
    out.styledHeader(block.header);
    for (const line of block.lines) out.log(line);
  }
}

/** One user's run, after its stages. */
export async function renderCreate(out: Output, result: CreateResult): Promise<void> {
  renderLeastPrivilege(out, result);
  for (const warning of result.warnings) out.warn(warning);
  for (const ps of result.permissionSetXml ?? []) {
    out.log(messages.getMessage('info.permissionSetXml', [ps.name]));
    out.log(ps.xml);
  }
  if (result.userRecord) out.styledJSON(result.userRecord);
  if (result.comparison && result.comparison.rows.length > 0) {
    const c = result.comparison;
    out.styledHeader(messages.getMessage('header.comparison', [c.first, c.second, c.rows.length]));
    const { comparisonText } = await import('../compare/render.js');
    for (const line of comparisonText(c)) out.log(line);
  }
  out.log('');
  for (const line of result.nextSteps) out.log(`- ${line}`);
}

/** Several definitions: one row each, their warnings, skipped files and users no definition names any more. */
export function renderMany(out: Output, result: CreateManyResult): void {
  const rows = result.definitions.map((d) => ({
    file: basename(d.file),
    username: d.username ?? d.definitionUsername,
    status: d.status,
    detail: d.error?.message.split('\n')[0] ?? d.notes.join(' '),
  }));
  const columns = [
    { key: 'file' as const, name: 'File', whole: true },
    { key: 'username' as const, name: 'Username', whole: true },
    { key: 'status' as const, name: 'Status' },
    { key: 'detail' as const, name: 'Detail' },
  ];
  for (const line of renderTable(rows, columns)) out.log(line);
  for (const d of result.definitions) for (const w of d.warnings) out.warn(`${basename(d.file)}: ${w}`);
  if (result.skippedFiles.length)
    out.log(messages.getMessage('info.skippedFiles', [result.skippedFiles.map((f) => basename(f)).join(', ')]));
  if (result.withoutDefinition.length) {
    out.warn(
      messages.getMessage('warning.withoutDefinition', [
        result.withoutDefinition.map((u) => `${u.username} (${u.permissionSets.join(', ')})`).join('; '),
      ]),
    );
  }
}
