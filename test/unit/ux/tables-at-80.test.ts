/**
 * Every table the commands print, rendered at 80 columns with long real-world names: no line wider than 80, and every
 * username and permission name printed whole (before, compare showed "AIV…" and audit "int…").
 */
import { expect } from 'chai';
import type { Comparison } from '../../../src/compare/compare.js';
import { comparisonText } from '../../../src/compare/render.js';
import { CANDIDATE_COLUMNS, candidateRows, seatRows } from '../../../src/audit/render.js';
import type { Candidate } from '../../../src/audit/types.js';
import { outputWidth, REDIRECTED_WIDTH, renderTable, wrapText } from '../../../src/ux/text-table.js';

const OLD = 'integrations.shared.marketo@acme-production.com';
const NEW = 'marketo.sync@acme-production.com.integration';
const NAMES = [
  'AIV_Marketing_Campaign_Influence__c.Attribution_Model_Weighting__c',
  'PermissionsManageEncryptionKeys',
  'Account',
];

const comparison: Comparison = {
  first: OLD,
  second: NEW,
  rows: [
    {
      category: 'field',
      section: 'fieldPermissions',
      name: NAMES[0],
      first: ['read', 'edit'],
      second: ['read'],
      lacks: ['edit'],
      beyond: [],
      status: 'lacks',
      why: {
        kind: 'license',
        reason:
          'the Salesforce API Integration permission set license cannot carry this permission, so the companion set holds it',
      },
    },
    {
      category: 'userPermission',
      section: 'userPermissions',
      name: NAMES[1],
      first: ['enabled'],
      second: [],
      lacks: ['enabled'],
      beyond: [],
      status: 'lacks',
      why: { kind: 'ui', reason: 'it only affects the user interface, which an API-only user never sees' },
    },
    {
      category: 'object',
      section: 'objectPermissions',
      name: NAMES[2],
      first: ['read', 'create', 'edit', 'delete', 'viewAll', 'modifyAll'],
      second: ['read'],
      lacks: ['create', 'edit', 'delete', 'viewAll', 'modifyAll'],
      beyond: [],
      status: 'lacks',
      why: { kind: 'omitted', reason: 'left out on purpose' },
    },
  ],
  summary: {} as Comparison['summary'],
  gapsByKind: {},
} as unknown as Comparison;

const candidate = (username: string): Candidate =>
  ({
    userId: '005000000000001AAA',
    username,
    name: 'Shared Integration',
    profile: 'Custom: Marketing Integration Profile With A Long Name',
    license: 'Salesforce',
    class: 'shared-login',
    traits: [],
    risks: [],
    apps: [
      { app: 'Marketo Sync Connected App', logins: 3 },
      { app: 'HubSpot', logins: 1 },
    ],
    apiLogins: 1234,
    uiLogins: 2,
    lastApiLogin: '2026-01-02T03:04:05.000Z',
    movable: true,
    extraSeats: 1,
    nextCommands: [],
    notes: [],
  }) as unknown as Candidate;

const expectReadable = (lines: string[], whole: string[]): void => {
  for (const l of lines) expect(l.length, l).to.be.at.most(80);
  const text = lines.join('\n');
  for (const w of whole) expect(text, w).to.contain(w);
  expect(text).to.not.contain('…');
};

describe('tables at 80 columns', () => {
  it('compare: names whole, both users named in the legend, the reasons below the table', () => {
    const lines = comparisonText(comparison, 80);
    expectReadable(lines, [OLD, NEW, ...NAMES]);
    const notes = lines.slice(lines.indexOf('Why:'));
    expect(notes.join(' ')).to.contain('license: the Salesforce API Integration permission set license');
    expect(lines[lines.findIndex((l) => l.includes(NAMES[1])) + 1]).to.contain('[2]');
  });

  it('audit: usernames whole, the other columns wrapped', () => {
    const users = ['integrations.shared.marketo@acme-production.com', 'etl@acme.com'];
    const lines = renderTable(
      candidateRows(users.map(candidate)),
      CANDIDATE_COLUMNS.map((c) => ({ ...c, whole: c.key === 'user' })),
      80,
    );
    expectReadable(lines, users);
    expect(lines.join('\n')).to.contain('Marketo').and.contain('HubSpot');
  });

  it('licenses and audit seats', () => {
    const seats = {
      integrationUserLicense: { name: 'x', total: 5, used: 2, free: 3 },
      integrationPsl: { name: 'y', total: 10, used: 10, free: 0 },
    };
    const columns = (['license', 'total', 'used', 'free'] as const).map((key) => ({ key, name: key }));
    expectReadable(renderTable(seatRows(seats as never), columns, 80), [
      'Salesforce API Integration (permission set license)',
    ]);
  });

  it('redirected output is wrapped to a fixed width; a terminal uses its own', () => {
    expect(outputWidth({ isTTY: false })).to.equal(REDIRECTED_WIDTH);
    expect(outputWidth({ isTTY: true, columns: 80 })).to.equal(80);
    expect(wrapText('a '.repeat(100), 20).every((l) => l.length <= 20)).to.equal(true);
  });
});
