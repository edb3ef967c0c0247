import { expect } from 'chai';
import { parseCsv } from '../../../src/access-reader/usage-logs.js';
import {
  isNotUsedOmission,
  narrowToObjects,
  narrowToUsage,
  usageBlock,
} from '../../../src/permissions/narrow-to-usage.js';
import type { UsageEvidence } from '../../../src/access-reader/usage-logs.js';
import type { ConversionInput } from '../../../src/permissions/convert.js';
import { omissionKind } from '../../../src/compare/explain.js';

const input = (): ConversionInput => ({
  sections: {
    objectPermissions: [
      { object: 'Account', allowRead: true },
      { object: 'Contact', allowRead: true },
      { object: 'Case', allowRead: true },
    ],
    fieldPermissions: [
      { field: 'Account.Industry', readable: true },
      { field: 'Case.Subject', readable: true },
    ],
    userPermissions: [{ name: 'RunReports', enabled: true }],
  },
});

const evidence = (objects: string[], rowsByUser = 3): UsageEvidence => ({
  username: 'old@acme.com',
  days: 30,
  files: [
    { id: '0AT1', eventType: 'ApiTotalUsage', logDate: '2026-05-01', rows: 5, rowsByUser: 2 },
    { id: '0AT2', eventType: 'ApiTotalUsage', logDate: '2026-05-02', rows: 4, rowsByUser: 1 },
  ],
  eventTypes: { ApiTotalUsage: 2 },
  rows: 9,
  rowsByUser,
  objects,
});

describe('usage narrowing', () => {
  it('parses CSV by header: quotes, doubled quotes, commas and line breaks in values, CRLF', () => {
    const rows = parseCsv(
      '"USER_ID","ENTITY_NAME","URI"\r\n"005000000000001","Account","/a,b ""c""\nd"\r\n005000000000002,,x\n',
    );
    expect(rows).to.deep.equal([
      { USER_ID: '005000000000001', ENTITY_NAME: 'Account', URI: '/a,b "c"\nd' },
      { USER_ID: '005000000000002', ENTITY_NAME: '', URI: 'x' },
    ]);
    expect(parseCsv('')).to.deep.equal([]);
  });

  it('keeps object and field access of the touched objects only (any case); other sections untouched', () => {
    const out = narrowToObjects(input(), ['account', 'contact', 'Lead']);
    expect((out.input.sections.objectPermissions ?? []).map((e) => e.object)).to.deep.equal(['Account', 'Contact']);
    expect((out.input.sections.fieldPermissions ?? []).map((e) => e.field)).to.deep.equal(['Account.Industry']);
    expect(out.input.sections.userPermissions).to.have.length(1);
    expect(out.keptObjects).to.deep.equal(['Account', 'Contact']);
    expect(out.leftOutObjects).to.deep.equal(['Case']);
    expect(out.omitted.map((o) => [o.section, o.name])).to.deep.equal([
      ['objectPermissions', 'Case'],
      ['fieldPermissions', 'Case.Subject'],
    ]);
    expect(out.omitted.every(isNotUsedOmission)).to.equal(true);
    expect(omissionKind(out.omitted[0])).to.equal('not-used');
  });

  it('refuses to narrow to nothing', () => {
    expect(() => narrowToUsage(input(), evidence(['Lead']))).to.throw(
      /no API request by old@acme.com on an object it has access to/,
    );
    expect(() => narrowToUsage(input(), evidence([], 0))).to.throw(/narrowing would leave it no object access/);
  });

  it('prints the evidence window: files, log dates, types, rows, what was kept and left out', () => {
    const { usage } = narrowToUsage(input(), evidence(['Account']));
    const block = usageBlock(usage)!;
    expect(block.header).to.contain('old@acme.com');
    expect(block.lines[0]).to.equal(
      'Read 2 log files, LogDate 2026-05-01 to 2026-05-02 (ApiTotalUsage 2; window: last 30 days): 9 rows, 3 by old@acme.com.',
    );
    expect(block.lines[1]).to.equal('Objects used: Account.');
    expect(block.lines[2]).to.equal(
      'Object access left out (not used in the logs): Case, Contact (and 1 field permission of those objects).',
    );
    expect(block.lines[3]).to.contain('Only API requests are in these logs');
    expect(usageBlock(undefined)).to.equal(undefined);
  });
});
