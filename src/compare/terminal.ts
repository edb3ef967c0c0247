/** `compare`'s terminal output: the summary per kind of access, then the rows that differ. */
import { Messages } from '@salesforce/core';
import type { SfCommand } from '@salesforce/sf-plugins-core';
import { renderTable } from '../ux/text-table.js';
import type { OrgComparison } from './from-org.js';
import { comparisonText } from './render.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.compare');

type Output = Pick<SfCommand<unknown>, 'log' | 'warn' | 'styledHeader'>;

/** The comparison on the terminal (--all: the rows that are the same too). */
export function printComparison(out: Output, result: OrgComparison, all: boolean): void {
  const c = result.comparison;
  out.styledHeader(messages.getMessage('header.summary', [c.second, c.first]));
  const summary = renderTable(
    Object.entries(c.summary).map(([access, s]) => ({ access, ...s })),
    [
      { key: 'access', name: 'Access' },
      { key: 'compared', name: 'Compared' },
      { key: 'same', name: 'Same' },
      { key: 'lacks', name: 'Second lacks' },
      { key: 'beyond', name: 'Second has more' },
      { key: 'differs', name: 'Both' },
    ],
  );
  for (const line of summary) out.log(line);
  if (c.rows.length === 0) {
    out.log(messages.getMessage('info.noDifference', [c.second, c.first]));
  } else {
    out.styledHeader(messages.getMessage(all ? 'header.rowsAll' : 'header.rows', [c.rows.length]));
    for (const line of comparisonText(c)) out.log(line);
  }
  for (const w of result.warnings) out.warn(w);
}
