/** What `convert-profile` prints: counts per section, the sets written, where access came from, what was left out. */
import { Messages } from '@salesforce/core';
import type { SfCommand } from '@salesforce/sf-plugins-core';
import { groupOmissions, sourceCounts } from '../permissions/conversion-report.js';
import { leftOutBlocks } from '../permissions/least-privilege.js';
import { renderTable, type Cell, type TextColumn } from '../ux/text-table.js';
import type { ConvertProfileResult } from './convert-service.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.convert-profile');

type Output = Pick<SfCommand<unknown>, 'log' | 'warn' | 'styledHeader'>;

// plain text tables: ink's (this.table) spawn `tput` for the terminal size on every render when output is redirected
function print<K extends string>(out: Output, rows: Array<Record<K, Cell>>, columns: Array<TextColumn<K>>): void {
  for (const line of renderTable(rows, columns)) out.log(line);
}

export function renderConversion(out: Output, result: ConvertProfileResult): void {
  printSections(out, result);
  printWritten(out, result);
  if (result.effectiveAccess) {
    out.styledHeader(messages.getMessage('header.sources', [result.effectiveAccess.username]));
    print(out, sourceCounts(result.effectiveAccess), [
      { key: 'source', name: 'Source', whole: true },
      { key: 'grants', name: 'Grants' },
    ]);
  }
  printOmitted(out, result);
  for (const block of leftOutBlocks(result.highRisk, result.usage)) {
    out.styledHeader(block.header);
    for (const line of block.lines) out.log(line);
  }
  for (const warning of result.warnings) out.warn(warning);
}

/** Per profile section: entries carried by the licensed set, put in the companion, omitted. */
function printSections(out: Output, result: ConvertProfileResult): void {
  out.styledHeader(messages.getMessage('header.sections', [result.profile]));
  print(
    out,
    Object.entries(result.sections).map(([section, c]) => ({
      section,
      carried: c.carried,
      companion: c.companion,
      omitted: c.omitted,
    })),
    [
      { key: 'section', name: 'Profile section' },
      { key: 'carried', name: 'Carried' },
      { key: 'companion', name: 'Companion' },
      { key: 'omitted', name: 'Omitted' },
    ],
  );
}

/** The permission sets written, each with its license and entry count. */
function printWritten(out: Output, result: ConvertProfileResult): void {
  out.styledHeader(messages.getMessage('header.written'));
  print(
    out,
    result.permissionSets.map((ps) => ({
      name: ps.name,
      license: ps.license ?? messages.getMessage('noLicense'),
      entries: Object.values(ps.counts).reduce((a, b) => a + b, 0),
      path: ps.path,
    })),
    [
      { key: 'name', name: 'Permission set', whole: true },
      { key: 'license', name: 'License' },
      { key: 'entries', name: 'Entries' },
      { key: 'path', name: 'Path', whole: true },
    ],
  );
}

/** What was left out, grouped by section and reason. */
function printOmitted(out: Output, result: ConvertProfileResult): void {
  const groups = groupOmissions(result.omitted);
  if (groups.length === 0) return;
  out.styledHeader(messages.getMessage('header.omitted', [groups.reduce((n, g) => n + g.count, 0)]));
  const columns = (['section', 'count', 'reason', 'examples'] as const).map((key) => ({
    key,
    name: key[0].toUpperCase() + key.slice(1),
  }));
  print(out, groups, columns);
}
