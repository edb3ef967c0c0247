import { connectAtTestApiVersion } from '../../helpers/api-version.js';
import { messageText } from '../../helpers/output.js';
import { expect } from 'chai';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import Licenses from '../../../src/commands/integration-user/licenses.js';
import { FakeOrg, type FakeSeed } from '../fake-org.js';

describe('integration-user licenses (in-process, faked query endpoint)', () => {
  const $$ = new TestContext();
  connectAtTestApiVersion($$);
  const testOrg = new MockTestOrgData();
  let ux: ReturnType<typeof stubSfCommandUx>;

  const withOrg = async (seed: Partial<FakeSeed>): Promise<FakeOrg> => {
    const fake = new FakeOrg({ users: [], ...seed });
    await $$.stubAuths(testOrg);
    $$.fakeConnectionRequest = fake.handler;
    return fake;
  };
  // Every command run adds process signal listeners; several suites run commands in this process.
  const listeners = process.getMaxListeners();
  before(() => process.setMaxListeners(100));
  after(() => process.setMaxListeners(listeners));
  beforeEach(() => {
    ux = stubSfCommandUx($$.SANDBOX);
  });
  afterEach(() => $$.restore());

  it('shows total, used and free seats of both licenses in two queries', async () => {
    const fake = await withOrg({
      userLicense: { TotalLicenses: 5, UsedLicenses: 2 },
      psl: { TotalLicenses: 10, UsedLicenses: 10 },
    });
    const r = await Licenses.run(['--target-org', testOrg.username, '--json']);
    expect(r.userLicense).to.deep.include({ name: 'Salesforce Integration', total: 5, used: 2, free: 3 });
    expect(r.permissionSetLicense).to.deep.include({
      name: 'SalesforceAPIIntegrationPsl',
      total: 10,
      used: 10,
      free: 0,
    });
    expect(r.gaps).to.deep.equal([]);
    expect(fake.soql.filter((q) => /License\b/.test(q))).to.have.length(2);
    expect(fake.soql.join('\n')).to.contain("FROM UserLicense WHERE Name = 'Salesforce Integration'");
    expect(fake.soql.join('\n')).to.contain(
      "FROM PermissionSetLicense WHERE DeveloperName = 'SalesforceAPIIntegrationPsl'",
    );
    await Licenses.run(['--target-org', testOrg.username]);
    const logged = ux.log.getCalls().map((c) => String(c.args[0] ?? ''));
    expect(logged.find((l) => l.startsWith('Salesforce Integration (user license)'))).to.match(/\s5\s+2\s+3$/);
    expect(logged.find((l) => l.startsWith('Salesforce API Integration (permission set license)'))).to.match(
      /\s10\s+10\s+0$/,
    );
  });

  it('never reports negative free seats', async () => {
    await withOrg({ userLicense: { TotalLicenses: 5, UsedLicenses: 6 } });
    const r = await Licenses.run(['--target-org', testOrg.username, '--json']);
    expect(r.userLicense?.free).to.equal(0);
  });

  it('says when the org has no such license', async () => {
    await withOrg({ userLicense: null, psl: null });
    const r = await Licenses.run(['--target-org', testOrg.username]);
    expect(r.userLicense).to.be.null;
    expect(r.permissionSetLicense).to.be.null;
    const infos = ux.info.getCalls().map((c) => messageText(c.args[0]));
    expect(infos.some((i) => i.includes('no Salesforce Integration user license'))).to.be.true;
  });

  it('warns with the missing permission when a license object is unreadable', async () => {
    await withOrg({ psl: { TotalLicenses: 1, UsedLicenses: 0 }, errors: { UserLicense: 'INSUFFICIENT_ACCESS' } });
    const r = await Licenses.run(['--target-org', testOrg.username]);
    expect(r.gaps.map((g) => g.source)).to.deep.equal(['UserLicense']);
    expect(r.permissionSetLicense?.free).to.equal(1);
    expect(messageText(ux.warn.firstCall.args[0])).to.contain('View Setup and Configuration');
  });

  it('fails on errors that are not about access', async () => {
    await withOrg({ errors: { UserLicense: 'SERVER_UNAVAILABLE' } });
    try {
      await Licenses.run(['--target-org', testOrg.username]);
      expect.fail('should have thrown');
    } catch (e) {
      expect((e as Error).name).to.equal('SERVER_UNAVAILABLE');
    }
  });
});
