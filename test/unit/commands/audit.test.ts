import { connectAtTestApiVersion } from '../../helpers/api-version.js';
import { messageText } from '../../helpers/output.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import Audit from '../../../src/commands/integration-user/audit.js';
import { FakeOrg, type FakeSeed } from '../fake-org.js';
import { smallOrg } from '../audit/small-org.js';

describe('integration-user audit (in-process, faked query endpoint)', () => {
  const $$ = new TestContext();
  connectAtTestApiVersion($$);
  const testOrg = new MockTestOrgData();
  let dir: string;
  let ux: ReturnType<typeof stubSfCommandUx>;

  const withOrg = async (seed: FakeSeed): Promise<FakeOrg> => {
    const fake = new FakeOrg(seed);
    await $$.stubAuths(testOrg);
    $$.fakeConnectionRequest = fake.handler;
    return fake;
  };

  // Every command run adds signal listeners; this suite runs the command a dozen times.
  const listeners = process.getMaxListeners();
  before(() => process.setMaxListeners(100));
  after(() => process.setMaxListeners(listeners));

  beforeEach(() => {
    ux = stubSfCommandUx($$.SANDBOX);
    stubSpinner($$.SANDBOX);
    dir = mkdtempSync(join(tmpdir(), 'audit-'));
  });
  afterEach(() => {
    $$.restore();
    rmSync(dir, { recursive: true, force: true });
  });

  it('classifies a small org, computes the savings exactly and suggests the next commands', async () => {
    const fake = await withOrg(smallOrg());
    const r = await Audit.run(['--target-org', testOrg.username, '--json']);
    expect(r.candidates.map((c) => [c.username, c.class, c.movable, c.extraSeats])).to.deep.equal([
      ['bob@acme.com', 'person-and-integration', false, 1],
      ['etl@acme.com', 'admin-integration', true, 0],
      ['integrations@acme.com', 'shared-integration', true, 2],
      ['marketo@acme.com', 'api-only-full-license', true, 0],
      ['mule@acme.com', 'integration-license', false, 0],
    ]);
    expect(r.summary).to.deep.equal({
      'person-and-integration': 1,
      'admin-integration': 1,
      'shared-integration': 1,
      'api-only-full-license': 1,
      'integration-license': 1,
    });
    const shared = r.candidates[2];
    expect(shared.apps.map((a) => [a.app, a.logins])).to.deep.equal([
      ['(unnamed Other Apex API client)', 2],
      ['Data Loader', 4],
      ['Workato', 5],
    ]);
    const marketo = r.candidates[3];
    expect(marketo.apps[0]).to.include({ app: 'Marketo', logins: 30, tokenUseCount: 400 });
    expect(marketo.nextCommands).to.deep.equal([
      `sf integration-user create --target-org ${testOrg.username} --username marketo.integration@acme.com --from-user marketo@acme.com`,
    ]);
    // 3 movers, 4 free seats: 3 × 1,200 saved, nothing paid; then 3 split-out seats: 1 free, 2 paid at 10 × 12.
    expect(r.savings).to.deep.include({
      movableUsers: 3,
      freeSeatsUsed: 3,
      paidSeats: 0,
      fullLicenseSavingsPerYear: 3600,
      integrationCostPerYear: 0,
      netSavingsPerYear: 3600,
      netSavingsPerYearAfterSplit: 3360,
    });
    expect(r.savings.splitOut).to.deep.equal({ seats: 3, freeSeatsUsed: 1, paidSeats: 2, costPerYear: 240 });
    expect(r.savings.assumptions).to.deep.equal({
      fullLicensePerYear: 1200,
      integrationLicensePerMonth: 10,
      freeIntegrationSeats: 4,
      freeSeatsSource: 'org',
    });
    expect(r.seats.integrationUserLicense).to.deep.include({ total: 5, used: 1, free: 4 });
    expect(r.gaps).to.deep.equal([]);
    expect(r.loginHistory).to.deep.include({ read: true, mode: 'aggregate', queries: 1, truncated: false });
    // seats (2) + users + one aggregate + tokens
    expect(r.stats.roundTrips).to.equal(5);
    expect(fake.soql.filter((q) => q.includes('GROUP BY'))).to.have.length(1);
    expect(fake.soql.find((q) => q.includes('GROUP BY'))).to.match(/LAST_N_DAYS:90 AND UserId IN \('005/);
  });

  it('uses the given prices and period', async () => {
    await withOrg(smallOrg({ userLicense: { TotalLicenses: 5, UsedLicenses: 4 } }));
    const r = await Audit.run([
      '--target-org',
      testOrg.username,
      '--days',
      '7',
      '--license-cost',
      '1,500',
      '--integration-license-cost',
      '12.5',
      '--json',
    ]);
    // 1 free seat: 1 free + 2 paid at 12.5 × 12 = 300
    expect(r.period.days).to.equal(7);
    expect(r.savings).to.deep.include({
      movableUsers: 3,
      freeSeatsUsed: 1,
      paidSeats: 2,
      fullLicenseSavingsPerYear: 4500,
      integrationCostPerYear: 300,
      netSavingsPerYear: 4200,
    });
  });

  it('names the org in the next commands as it was given', async () => {
    await withOrg(smallOrg());
    const r = await Audit.run([`--target-org=${testOrg.username}`, '--json']);
    expect(r.candidates[1].nextCommands[0]).to.contain(`--target-org ${testOrg.username} `);
    expect(r.targetOrg).to.equal(testOrg.username);
  });

  it('rejects a negative price', async () => {
    await withOrg(smallOrg());
    try {
      await Audit.run(['--target-org', testOrg.username, '--license-cost', '-5']);
      expect.fail('should have thrown');
    } catch (e) {
      expect((e as Error).message).to.match(/is not a price|-5/);
    }
  });

  it('says what is missing when LoginHistory and OauthToken are unreadable, and carries on', async () => {
    await withOrg(
      smallOrg({
        errors: { LoginHistory: 'INSUFFICIENT_ACCESS', OauthToken: 'INVALID_TYPE', UserLicense: 'INSUFFICIENT_ACCESS' },
      }),
    );
    const r = await Audit.run(['--target-org', testOrg.username]);
    expect(r.gaps.map((g) => [g.source, g.errorCode])).to.deep.equal([
      ['UserLicense', 'INSUFFICIENT_ACCESS'],
      ['LoginHistory', 'INSUFFICIENT_ACCESS'],
      ['OauthToken', 'INVALID_TYPE'],
    ]);
    expect(r.gaps[1].fix).to.equal('Manage Users or Monitor Login History');
    expect(r.gaps[2].fix).to.match(/^Customize Application/);
    expect(r.loginHistory.read).to.be.false;
    expect(r.oauthTokensRead).to.be.false;
    // Only the user already on the Integration license remains; free seats fall back to the assumption.
    expect(r.candidates.map((c) => c.username)).to.deep.equal(['mule@acme.com']);
    expect(r.savings.assumptions).to.include({ freeIntegrationSeats: 4, freeSeatsSource: 'assumed' });
    const warnings = ux.warn.getCalls().map((c) => messageText(c.args[0]));
    expect(warnings.some((w) => w.includes('LoginHistory could not be read') && w.includes('Monitor Login History'))).to
      .be.true;
    expect(warnings.some((w) => w.includes('OauthToken could not be read'))).to.be.true;
  });

  it('falls back to paging LoginHistory rows when the org refuses the aggregate, and bounds it', async () => {
    const fake = await withOrg(smallOrg({ errors: { aggregate: 'MALFORMED_QUERY' }, pageSize: 10 }));
    const full = await Audit.run(['--target-org', testOrg.username, '--json']);
    expect(full.loginHistory).to.deep.include({ mode: 'rows', truncated: false, rowsRead: 89 });
    expect(full.loginHistory.fallbackReason).to.match(/^MALFORMED_QUERY/);
    expect(full.candidates.map((c) => c.class)).to.deep.equal([
      'person-and-integration',
      'admin-integration',
      'shared-integration',
      'api-only-full-license',
      'integration-license',
    ]);
    expect(fake.soql.filter((q) => !q.includes('GROUP BY') && q.includes('LoginHistory'))).to.have.length(1);

    const bounded = await Audit.run(['--target-org', testOrg.username, '--max-login-rows', '20', '--json']);
    expect(bounded.loginHistory).to.deep.include({ mode: 'rows', truncated: true, rowsRead: 20, totalRows: 89 });
    const warnings = ux.warn.getCalls().map((c) => messageText(c.args[0]));
    expect(warnings.some((w) => w.includes('read 20 of 89 rows'))).to.be.true;
  });

  it('writes Markdown, CSV and JSON reports and refuses to overwrite without --force', async () => {
    await withOrg(smallOrg());
    const md = join(dir, 'audit.md');
    const r = await Audit.run(['--target-org', testOrg.username, '--output-file', md]);
    expect(r.outputFile).to.equal(md);
    const text = readFileSync(md, 'utf8');
    expect(text).to.contain('# Integration user audit');
    expect(text).to.contain('saves 3,600 a year');
    expect(text).to.contain('A full license costs 1,200 a year');
    expect(text).to.contain('`sf integration-user create --target-org');

    const csv = join(dir, 'audit.csv');
    await Audit.run(['--target-org', testOrg.username, '--output-file', csv]);
    const lines = readFileSync(csv, 'utf8').trim().split('\r\n');
    expect(lines[0].split(',')).to.include.members(['username', 'class', 'risks', 'nextCommands']);
    expect(lines[1].startsWith('bob@acme.com,bob,person-and-integration,')).to.be.true;

    const json = join(dir, 'audit.json');
    await Audit.run(['--target-org', testOrg.username, '--output-file', json]);
    const written = JSON.parse(readFileSync(json, 'utf8')) as { savings: { netSavingsPerYear: number } };
    expect(written.savings.netSavingsPerYear).to.equal(3600);

    writeFileSync(md, 'keep me');
    try {
      await Audit.run(['--target-org', testOrg.username, '--output-file', md]);
      expect.fail('should have refused');
    } catch (e) {
      expect((e as Error).message).to.contain('already exists');
    }
    expect(readFileSync(md, 'utf8')).to.equal('keep me');
    await Audit.run(['--target-org', testOrg.username, '--output-file', md, '--force']);
    expect(readFileSync(md, 'utf8')).to.contain('# Integration user audit');

    try {
      await Audit.run(['--target-org', testOrg.username, '--output-file', join(dir, 'audit.txt')]);
      expect.fail('should have refused');
    } catch (e) {
      expect((e as Error).message).to.contain("Can't tell the report format");
    }
    expect(existsSync(join(dir, 'audit.txt'))).to.be.false;
  });

  it('prints tables, the savings line and the next commands', async () => {
    await withOrg(smallOrg());
    await Audit.run(['--target-org', testOrg.username]);
    // seats, summary, candidates: plain text tables (ink's spawn tput per render)
    expect(ux.table.callCount).to.equal(0);
    const logged = ux.log.getCalls().map((c) => String(c.args[0] ?? ''));
    expect(
      logged.filter(
        (l) => /^License\s+Total\s+Used\s+Free$/.test(l) || /^Class\s+Users$/.test(l) || /^User(\s+Class\s|$)/.test(l),
      ),
    ).to.have.length(3);
    expect(logged.some((l) => l.startsWith('Moving 3 user(s) to Integration licenses saves 3,600 a year'))).to.be.true;
    expect(logged.filter((l) => l.startsWith('sf integration-user create'))).to.have.length(6);
  });
});
