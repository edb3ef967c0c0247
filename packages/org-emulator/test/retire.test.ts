import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { connect, failure, USER_FIELDS as USER } from './clients.js';
import {
  attemptLogin,
  blockDeactivation,
  clearDeactivationBlocks,
  DEACTIVATION_TEXTS,
  startEmulator,
  type DeactivationBlock,
  type Emulator,
} from '../src/index.js';

type Row = Record<string, unknown>;

describe('emulator: retiring a user (UserLogin, token revocation, sessions, deactivation rules)', () => {
  let emu: Emulator;
  let conn: Connection;
  let n = 0;

  before(async () => {
    emu = await startEmulator({
      seed: {
        type: 'production',
        licenses: { salesforce: 20 },
        users: [{ username: 'old@acme.com', lastName: 'Old', profile: 'Standard User' }],
        oauthTokens: [
          { username: 'old@acme.com', appName: 'Marketo', lastUsedDate: '2026-01-01T00:00:00.000Z', useCount: 5 },
          { username: 'old@acme.com', appName: 'Workbench' },
        ],
      },
    });
    conn = await connect(emu);
  });
  after(async () => emu?.stop());

  const newUser = async (profile = 'Standard User'): Promise<string> => {
    const p = emu.org().profile(profile)!;
    const r = (await conn.sobject('User').create({ ...USER, Username: `u${++n}@retire.test`, ProfileId: p.Id })) as {
      id: string;
    };
    return r.id;
  };
  const userLogin = async (userId: string): Promise<Row> =>
    conn.singleRecordQuery<Row>(
      `SELECT Id, UserId, IsFrozen, IsPasswordLocked, LastModifiedDate FROM UserLogin WHERE UserId = '${userId}'`,
    );

  it('every user has one UserLogin; IsFrozen updates and moves LastModifiedDate; it cannot be created or deleted', async () => {
    const id = await newUser();
    const before = await userLogin(id);
    expect(before.IsFrozen).to.equal(false);
    await new Promise((r) => setTimeout(r, 5));
    await conn.sobject('UserLogin').update({ Id: before.Id as string, IsFrozen: true });
    const after = await userLogin(id);
    expect(after.IsFrozen).to.equal(true);
    expect(String(after.LastModifiedDate) > String(before.LastModifiedDate)).to.equal(true);
    const frozen = await conn.query<Row>('SELECT UserId FROM UserLogin WHERE IsFrozen = true');
    expect(frozen.records.map((r) => r.UserId)).to.include(after.UserId);
    expect((await failure(conn.sobject('UserLogin').create({ UserId: id }))).message).to.match(
      /does not support create|INVALID_TYPE_FOR_OPERATION/,
    );
    expect((await failure(conn.sobject('UserLogin').destroy(before.Id as string))).message).to.match(
      /does not support delete/,
    );
    expect((await failure(conn.sobject('UserLogin').update({ Id: before.Id as string, UserId: id }))).message).to.match(
      /Unable to create\/update fields: UserId/,
    );
  });

  it("a frozen user's login attempt is in LoginHistory with a failed status; an unfrozen one succeeds", async () => {
    const org = emu.org();
    const user = org.user('old@acme.com')!;
    const login = await userLogin(user.Id);
    await conn.sobject('UserLogin').update({ Id: login.Id as string, IsFrozen: true });
    attemptLogin(org.state, 'old@acme.com', { application: 'Marketo' });
    await conn.sobject('UserLogin').update({ Id: login.Id as string, IsFrozen: false });
    attemptLogin(org.state, 'old@acme.com', { application: 'Marketo' });
    const rows = await conn.query<Row>(
      `SELECT Status, Application FROM LoginHistory WHERE UserId = '${user.Id}' ORDER BY LoginTime`,
    );
    expect(rows.records.map((r) => r.Status)).to.deep.equal(['User is Frozen', 'Success']);
  });

  it('revokes a token by its DeleteToken at /services/oauth2/revoke (no session); a second revoke is invalid_token', async () => {
    const user = emu.org().user('old@acme.com')!;
    const tokens = await conn.query<Row>(`SELECT AppName, DeleteToken FROM OauthToken WHERE UserId = '${user.Id}'`);
    expect(tokens.records).to.have.length(2);
    const marketo = tokens.records.find((t) => t.AppName === 'Marketo')!;
    expect(marketo.DeleteToken).to.be.a('string').and.not.equal('');
    const revoke = (): Promise<Response> =>
      fetch(`${emu.url}/services/oauth2/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${encodeURIComponent(String(marketo.DeleteToken))}`,
      });
    const ok = await revoke();
    expect(ok.status).to.equal(200);
    const again = await revoke();
    expect(again.status).to.equal(400);
    expect(await again.json()).to.deep.equal({ error: 'invalid_token', error_description: 'Token was invalid' });
    const left = await conn.query<Row>(`SELECT AppName FROM OauthToken WHERE UserId = '${user.Id}'`);
    expect(left.records.map((t) => t.AppName)).to.deep.equal(['Workbench']);
  });

  it('AuthSession rows can be queried and deleted, not created', async () => {
    const org = emu.org();
    const user = org.user('old@acme.com')!;
    const s = org.insert('AuthSession', {
      UsersId: user.Id,
      SessionType: 'Oauth2',
      LoginType: 'Remote Access 2.0',
      NumSecondsValid: 7200,
    });
    const found = await conn.query<Row>(`SELECT Id, SessionType FROM AuthSession WHERE UsersId = '${user.Id}'`);
    expect(found.records.map((r) => r.Id)).to.deep.equal([s.Id]);
    await conn.sobject('AuthSession').destroy(s.Id);
    expect(org.record(s.Id)).to.equal(undefined);
    expect((await failure(conn.sobject('AuthSession').create({ UsersId: user.Id }))).message).to.match(
      /does not support create/,
    );
  });

  it('reads what runs as a user: CronTrigger, AsyncApexJob, Dashboard, EmailServicesAddress, WorkflowOutboundMessage (Tooling only)', async () => {
    const org = emu.org();
    const user = org.user('old@acme.com')!;
    const job = org.insert('CronJobDetail', { Name: 'Nightly sync', JobType: '7' });
    org.insert('CronTrigger', {
      CronJobDetailId: job.Id,
      OwnerId: user.Id,
      State: 'WAITING',
      NextFireTime: '2030-01-01T00:00:00.000Z',
    });
    org.insert('Dashboard', { Title: 'Pipeline', RunningUserId: user.Id, Type: 'SpecifiedUser' });
    org.insert('EmailServicesAddress', { LocalPart: 'inbound', RunAsUserId: user.Id, IsActive: true });
    org.insert('WorkflowOutboundMessage', { Name: 'Notify ERP', IntegrationUserId: user.Id });
    const cron = await conn.query<Row>(
      `SELECT CronJobDetail.Name, CronJobDetail.JobType, State FROM CronTrigger WHERE OwnerId = '${user.Id}'`,
    );
    expect((cron.records[0].CronJobDetail as Row).Name).to.equal('Nightly sync');
    expect(
      (await conn.query(`SELECT Title FROM Dashboard WHERE RunningUserId = '${user.Id}' AND Type = 'SpecifiedUser'`))
        .totalSize,
    ).to.equal(1);
    expect(
      (await conn.query(`SELECT LocalPart FROM EmailServicesAddress WHERE RunAsUserId = '${user.Id}'`)).totalSize,
    ).to.equal(1);
    expect(
      (await conn.tooling.query(`SELECT Name FROM WorkflowOutboundMessage WHERE IntegrationUserId = '${user.Id}'`))
        .totalSize,
    ).to.equal(1);
    expect((await failure(conn.query('SELECT Name FROM WorkflowOutboundMessage'))).message).to.match(/not supported/);
    expect((await conn.query(`SELECT Id FROM AsyncApexJob WHERE CreatedById = '${user.Id}'`)).totalSize).to.equal(0);
  });

  const reasons = Object.keys(DEACTIVATION_TEXTS) as DeactivationBlock[];
  for (const reason of reasons) {
    it(`refuses to deactivate a user (${reason}) with Salesforce's text; after the fix it deactivates`, async () => {
      const id = await newUser();
      blockDeactivation(emu.org().state, id, {
        reason,
        detail: reason === 'hierarchy-field' ? 'Approver' : undefined,
        referrer: 'Ann Lee',
      });
      const err = await failure(conn.sobject('User').update({ Id: id, IsActive: false }));
      expect(err.message).to.contain(
        DEACTIVATION_TEXTS[reason]({
          reason,
          detail: reason === 'hierarchy-field' ? 'Approver' : undefined,
          referrer: 'Ann Lee',
        }),
      );
      clearDeactivationBlocks(emu.org().state, id);
      await conn.sobject('User').update({ Id: id, IsActive: false });
      expect(emu.org().record(id)!.IsActive).to.equal(false);
    });
  }

  it('refuses to deactivate the last active System Administrator; reactivation needs a free seat', async () => {
    const err = await failure(conn.sobject('User').update({ Id: emu.org().adminUserId, IsActive: false }));
    expect((err as { errorCode?: string }).errorCode).to.equal('CANNOT_DISABLE_LAST_ADMIN');
  });
});
