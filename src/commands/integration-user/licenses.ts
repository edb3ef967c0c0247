import { assertApiVersionSupported } from '../../org-api/api-version.js';
import { SfCommand, Flags } from '@salesforce/sf-plugins-core';
import { Messages } from '@salesforce/core';
import type { Gap, SeatCount } from '../../audit/types.js';
import { exitCodesHelp } from '../../cli/exit-codes.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.licenses');

export type LicensesResult = {
  /** Salesforce Integration user license; null when the org has none or it could not be read. */
  userLicense: SeatCount | null;
  /** Salesforce API Integration permission set license (SalesforceAPIIntegrationPsl). */
  permissionSetLicense: SeatCount | null;
  gaps: Gap[];
};

export default class Licenses extends SfCommand<LicensesResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(['0', '1', '2']);

  public static readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
  };

  public async run(): Promise<LicensesResult> {
    const { flags } = await this.parse(Licenses);
    const conn = flags['target-org'].getConnection(flags['api-version']);
    await assertApiVersionSupported(conn, flags['api-version']);
    // the readers load here, not when sf lists or helps commands (issue 12)
    const [{ readSeats }, { OrgReader }, { seatRows }, { renderTable }] = await Promise.all([
      import('../../audit/read.js'),
      import('../../org-api/org-reader.js'),
      import('../../audit/render.js'),
      import('../../ux/text-table.js'),
    ]);
    const { seats, gaps } = await readSeats(new OrgReader(conn));
    for (const g of gaps) this.warn(messages.getMessage('warn.unreadable', [g.source, g.errorCode, g.fix]));
    const unread = new Set(gaps.map((g) => g.source));
    if (!seats.integrationUserLicense && !unread.has('UserLicense')) {
      this.info(messages.getMessage('info.noLicense', ['Salesforce Integration user']));
    }
    if (!seats.integrationPsl && !unread.has('PermissionSetLicense')) {
      this.info(messages.getMessage('info.noLicense', ['Salesforce API Integration permission set']));
    }
    const columns = (['license', 'total', 'used', 'free'] as const).map((key) => ({
      key,
      name: key[0].toUpperCase() + key.slice(1),
    }));
    for (const line of renderTable(seatRows(seats), columns)) this.log(line);
    return {
      userLicense: seats.integrationUserLicense ?? null,
      permissionSetLicense: seats.integrationPsl ?? null,
      gaps,
    };
  }
}
