import { expect } from 'chai';
import type { AuditResult } from '../../../src/audit/audit.js';
import { formatForFile, money, toCsv, toMarkdown } from '../../../src/audit/render.js';
import { csvCell } from '../../../src/report/csv.js';
import { computeSavings } from '../../../src/audit/savings.js';
import type { Candidate } from '../../../src/audit/types.js';

const candidate: Candidate = {
  userId: '005000000000001AAA',
  username: 'x@acme.com',
  name: 'X, "the" bot',
  license: 'Salesforce',
  profile: 'Standard User',
  class: 'shared-integration',
  traits: ['shared-integration', 'api-only-full-license'],
  risks: ['compromised-credentials', 'untraceable-changes'],
  apps: [
    { app: '=HYPERLINK("evil")', logins: 2, loginTypes: ['Remote Access 2.0'] },
    { app: 'A|B', logins: 1, loginTypes: ['Partner Product'] },
  ],
  apiLogins: 3,
  uiLogins: 0,
  lastApiLogin: '2026-11-01T10:00:00.000Z',
  movable: true,
  extraSeats: 1,
  nextCommands: ['sf integration-user create --a', 'sf integration-user create --b'],
  notes: [],
};

const result = (candidates: Candidate[]): AuditResult => ({
  targetOrg: 'prod',
  period: { days: 30, since: '2026-10-01T00:00:00.000Z', until: '2026-10-31T00:00:00.000Z' },
  seats: { integrationUserLicense: { name: 'Salesforce Integration', total: 5, used: 0, free: 5 } },
  summary: {
    'person-and-integration': 0,
    'admin-integration': 0,
    'shared-integration': 1,
    'api-only-full-license': 0,
    'integration-license': 0,
  },
  candidates,
  savings: computeSavings(candidates, {
    fullLicensePerYear: 1200,
    integrationLicensePerMonth: 10,
    freeIntegrationSeats: 5,
    freeSeatsSource: 'org',
  }),
  gaps: [{ source: 'OauthToken', errorCode: 'INVALID_TYPE', message: 'no', fix: 'Customize Application' }],
  loginHistory: { read: true, mode: 'aggregate', queries: 1, rowsRead: 2, truncated: false },
  oauthTokensRead: false,
  usersRead: 10,
  stats: { roundTrips: 5, elapsedMs: 1 },
});

describe('audit render', () => {
  it('formats money with thousands separators and cents only when needed', () => {
    expect(money(1200)).to.equal('1,200');
    expect(money(2703.5)).to.equal('2,703.50');
    expect(money(0)).to.equal('0');
  });

  it('quotes CSV cells and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).to.equal('plain');
    expect(csvCell('a,b')).to.equal('"a,b"');
    expect(csvCell('say "hi"')).to.equal('"say ""hi"""');
    expect(csvCell('=1+1')).to.equal("'=1+1");
    expect(csvCell('-2')).to.equal("'-2");
    expect(csvCell(undefined)).to.equal('');
    const csv = toCsv(result([candidate]));
    const [header, row] = csv.split('\r\n');
    expect(header.split(',')).to.have.length(14);
    expect(row).to.contain('"X, ""the"" bot"');
    expect(row).to.contain(`"'=HYPERLINK(""evil"");A|B"`);
    expect(row).to.contain('"sf integration-user create --a\nsf integration-user create --b"');
  });

  it('writes a Markdown report with seats, savings, assumptions, candidates, commands and gaps', () => {
    const md = toMarkdown(result([candidate]));
    expect(md).to.contain('# Integration user audit: prod');
    expect(md).to.contain('| Salesforce Integration (user license) | 5 | 0 | 5 |');
    expect(md).to.contain('| Salesforce API Integration (permission set license) | n/a | n/a | n/a |');
    expect(md).to.contain('**Moving 1 user(s) to Integration licenses saves 1,200 a year');
    expect(md).to.contain('Giving every integration its own user needs 1 more Integration seat(s)');
    expect(md).to.contain('A full license costs 1,200 a year');
    expect(md).to.contain('A\\|B');
    expect(md).to.contain('  - `sf integration-user create --a`');
    expect(md).to.contain(
      '- OauthToken could not be read (INVALID_TYPE); to include it, run as a user with Customize Application.',
    );
    expect(toMarkdown(result([]))).to.contain('No user shows integration activity in the period.');
  });

  it('chooses the report format by extension', () => {
    expect(formatForFile('a/b/report.MD')).to.equal('md');
    expect(formatForFile('x.csv')).to.equal('csv');
    expect(formatForFile('x.json')).to.equal('json');
    expect(formatForFile('x.txt')).to.be.undefined;
    expect(formatForFile('noext')).to.be.undefined;
  });
});
