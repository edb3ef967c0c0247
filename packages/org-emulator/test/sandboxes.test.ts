import { expect } from 'chai';
import { connect } from './clients.js';
import { startEmulator, type Emulator } from '../src/index.js';

describe('sandboxes and scratch orgs', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      seed: {
        type: 'production',
        myDomain: 'Acme',
        admin: { username: 'admin@acme.com' },
        users: [
          {
            username: 'etl@acme.com',
            email: 'it@acme.com',
            profile: 'Minimum Access - API Only Integrations',
            permissionSetLicenses: ['SalesforceAPIIntegrationPsl'],
          },
        ],
      },
    });
  });
  after(() => emu.stop());

  it('a refresh copies users with .<sandbox name> usernames and .invalid emails; the refreshing admin keeps the email', async () => {
    const prod = emu.org(0);
    const uat = emu.refreshSandbox(prod, 'UAT');
    const etl = uat.user('etl@acme.com.UAT');
    expect(etl?.Email).to.equal('it@acme.com.invalid');
    expect(etl?.Id, 'record ids stay').to.equal(prod.user('etl@acme.com')?.Id);
    expect(uat.adminUsername).to.equal('admin@acme.com.UAT');
    expect(uat.user('admin@acme.com.UAT')?.Email).to.equal('admin@acme.com');
    expect(uat.user('etl@acme.com'), 'not the production username').to.equal(undefined);
    expect(prod.user('etl@acme.com')?.Email, 'production untouched').to.equal('it@acme.com');
    const conn = await connect(emu, uat);
    const [org] = (
      await conn.query<{ Id: string; IsSandbox: boolean; TrialExpirationDate: string | null }>(
        'SELECT Id, IsSandbox, TrialExpirationDate FROM Organization',
      )
    ).records;
    expect(org.Id.slice(0, 15)).to.equal(uat.id.slice(0, 15));
    expect(org.IsSandbox).to.equal(true);
    expect(org.TrialExpirationDate).to.equal(null);
    const info = await conn.request<{ urls: { custom_domain: string } }>(`${emu.url}/services/oauth2/userinfo`);
    expect(info.urls.custom_domain).to.equal('https://acme--uat.sandbox.my.salesforce.com');
    // the copied usernames are taken across the server (usernames are global)
    const created = await conn
      .sobject('User')
      .create({
        Username: 'etl@acme.com.UAT',
        LastName: 'x',
        Email: 'x@acme.com',
        Alias: 'x',
        ProfileId: String(etl?.ProfileId),
        TimeZoneSidKey: 'America/Los_Angeles',
        LocaleSidKey: 'en_US',
        EmailEncodingKey: 'UTF-8',
        LanguageLocaleKey: 'en_US',
      })
      .catch((e: Error & { errorCode?: string }) => e);
    expect((created as { errorCode?: string }).errorCode).to.equal('DUPLICATE_USERNAME');
  });

  it('a scratch org is IsSandbox with a TrialExpirationDate and a .scratch My Domain', async () => {
    const scratch = emu.addOrg({ type: 'scratch', myDomain: 'dream-1234' });
    const conn = await connect(emu, scratch);
    const [org] = (
      await conn.query<{ IsSandbox: boolean; TrialExpirationDate: string | null }>(
        'SELECT IsSandbox, TrialExpirationDate FROM Organization',
      )
    ).records;
    expect(org.IsSandbox).to.equal(true);
    expect(org.TrialExpirationDate).to.be.a('string');
    expect(scratch.myDomainUrl).to.equal('https://dream-1234.scratch.my.salesforce.com');
    expect(emu.org(0).myDomainUrl).to.equal('https://acme.my.salesforce.com');
  });
});
