import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { connect, failure, USER_FIELDS as BASE } from './clients.js';
import { checksum, to18 } from '../src/ids.js';
import { loadSeed, startEmulator, type Emulator } from '../src/index.js';

const DUPLICATE_USERNAME =
  "Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address). ";

describe('emulator rules (Salesforce errors through @salesforce/core)', () => {
  let emu: Emulator;
  let conn: Connection;
  let conn2: Connection;
  let intProfile: string;
  let stdProfile: string;
  let psl: string;
  let n = 0;

  before(async () => {
    emu = await startEmulator({
      seed: [
        {
          licenses: { integration: 2 },
          permissionSets: [
            {
              name: 'Psl_Set',
              license: 'SalesforceAPIIntegrationPsl',
              userPermissions: ['ApiEnabled'],
              objectPermissions: [{ object: 'Account', allowRead: true }],
            },
            { name: 'Psl_Apex', license: 'SalesforceAPIIntegrationPsl', userPermissions: ['AuthorApex'] },
            { name: 'Open_Read', objectPermissions: [{ object: 'Account', allowRead: true }] },
            { name: 'Full_License_Set', license: 'Salesforce', userPermissions: ['RunReports'] },
          ],
        },
        { name: 'Second', type: 'sandbox' },
      ],
    });
    conn = await connect(emu);
    conn2 = await connect(emu, emu.org(1));
    intProfile = emu.org().profile('Minimum Access - API Only Integrations')!.Id;
    stdProfile = emu.org().profile('Standard User')!.Id;
    psl = emu.org().query("SELECT Id FROM PermissionSetLicense WHERE DeveloperName = 'SalesforceAPIIntegrationPsl'")[0]
      .Id as string;
  });
  after(async () => emu?.stop());

  async function newUser(profileId: string, c = conn): Promise<string> {
    n += 1;
    const res = await c.sobject('User').create({ ...BASE, Username: `u${n}@rules.emu`, ProfileId: profileId });
    return res.id!;
  }

  async function integrationSeats(): Promise<{ TotalLicenses: number; UsedLicenses: number }> {
    return conn.singleRecordQuery(
      "SELECT TotalLicenses, UsedLicenses FROM UserLicense WHERE Name = 'Salesforce Integration'",
    );
  }

  it('routes each token to its own org; the second org is a sandbox', async () => {
    const org2 = await conn2.singleRecordQuery<{
      Name: string;
      IsSandbox: boolean;
      TrialExpirationDate: string | null;
    }>('SELECT Name, IsSandbox, TrialExpirationDate FROM Organization');
    expect(org2).to.include({ Name: 'Second', IsSandbox: true, TrialExpirationDate: null });
    expect(conn2.getUsername()).to.equal(emu.org(1).adminUsername);
    expect(emu.org(1).id).to.not.equal(emu.org().id);
    expect(emu.org().id).to.match(/^00D\w{15}$/);
  });

  it('requires the User fields (REQUIRED_FIELD_MISSING)', async () => {
    const err = await failure(conn.sobject('User').create({ Username: 'partial@rules.emu', LastName: 'P' }));
    expect(err.name).to.equal('REQUIRED_FIELD_MISSING');
    expect(err.message).to.equal(
      'Required fields are missing: [Email, Alias, TimeZoneSidKey, LocaleSidKey, EmailEncodingKey, LanguageLocaleKey, ProfileId]',
    );
    expect((err.data as { fields: string[] }).fields).to.include('ProfileId');
  });

  it('keeps usernames unique across every org of the server (DUPLICATE_USERNAME)', async () => {
    const err = await failure(
      conn2
        .sobject('User')
        .create({ ...BASE, Username: 'admin@emu.org', ProfileId: emu.org(1).profile('Standard User')!.Id }),
    );
    expect(err.name).to.equal('DUPLICATE_USERNAME');
    expect(err.message).to.equal(DUPLICATE_USERNAME);
    expect((err.data as { fields: string[] }).fields).to.deep.equal(['Username']);
  });

  it('counts seats and refuses a user when the license is full (LICENSE_LIMIT_EXCEEDED)', async () => {
    expect(await integrationSeats()).to.include({ TotalLicenses: 2, UsedLicenses: 0 });
    const a = await newUser(intProfile);
    await newUser(intProfile);
    expect((await integrationSeats()).UsedLicenses).to.equal(2);
    const err = await failure(newUser(intProfile));
    expect(err.name).to.equal('LICENSE_LIMIT_EXCEEDED');
    expect(err.message).to.equal('License Limit Exceeded');
    await conn.sobject('User').update({ Id: a, IsActive: false });
    expect((await integrationSeats()).UsedLicenses).to.equal(1);
    const c = await newUser(intProfile);
    const reactivate = await failure(conn.sobject('User').update({ Id: a, IsActive: true }));
    expect(reactivate.name).to.equal('LICENSE_LIMIT_EXCEEDED');
    await conn.sobject('User').update({ Id: c, IsActive: false });
  });

  it('assigns the permission set license once; duplicates are DUPLICATE_VALUE; no update', async () => {
    const user = await newUser(intProfile);
    const first = await conn
      .sobject('PermissionSetLicenseAssign')
      .create({ AssigneeId: user, PermissionSetLicenseId: psl });
    expect(first.id).to.match(/^2LA/);
    const dup = await failure(
      conn.sobject('PermissionSetLicenseAssign').create({ AssigneeId: user, PermissionSetLicenseId: psl }),
    );
    expect(dup.name).to.equal('DUPLICATE_VALUE');
    expect(dup.message).to.match(/^duplicate value found: /);
    const upd = await failure(conn.sobject('PermissionSetLicenseAssign').update({ Id: first.id!, AssigneeId: user }));
    expect(upd.name).to.equal('INVALID_TYPE_FOR_OPERATION');
    const used = await conn.singleRecordQuery<{ UsedLicenses: number }>(
      `SELECT UsedLicenses FROM PermissionSetLicense WHERE Id = '${psl}'`,
    );
    expect(used.UsedLicenses).to.equal(1);
    await conn.sobject('PermissionSetLicenseAssign').destroy(first.id!);
    await conn.sobject('User').update({ Id: user, IsActive: false });
  });

  it('needs the permission set license before a PSL permission set or object access (FIELD_INTEGRITY_EXCEPTION)', async () => {
    const user = await newUser(intProfile);
    const ps = emu.org().permissionSet('Psl_Set')!.Id;
    const open = emu.org().permissionSet('Open_Read')!.Id;
    const noPsl = await failure(
      conn.sobject('PermissionSetAssignment').create({ AssigneeId: user, PermissionSetId: ps }),
    );
    expect(noPsl.name).to.equal('FIELD_INTEGRITY_EXCEPTION');
    expect(noPsl.message).to.equal("The user license doesn't allow the permission: API Enabled");
    const objectAccess = await failure(
      conn.sobject('PermissionSetAssignment').create({ AssigneeId: user, PermissionSetId: open }),
    );
    expect(objectAccess.message).to.equal("The user license doesn't allow the permission: Read Account");
    await conn.sobject('PermissionSetLicenseAssign').create({ AssigneeId: user, PermissionSetLicenseId: psl });
    const ok = await conn.sobject('PermissionSetAssignment').create({ AssigneeId: user, PermissionSetId: ps });
    expect(ok.id).to.match(/^0Pa/);
    await conn.sobject('PermissionSetAssignment').create({ AssigneeId: user, PermissionSetId: open });
    const dup = await failure(
      conn.sobject('PermissionSetAssignment').create({ AssigneeId: user, PermissionSetId: ps }),
    );
    expect(dup.name).to.equal('DUPLICATE_VALUE');
    expect(dup.message).to.match(/^duplicate value found/);
    const apex = await failure(
      conn
        .sobject('PermissionSetAssignment')
        .create({ AssigneeId: user, PermissionSetId: emu.org().permissionSet('Psl_Apex')!.Id }),
    );
    expect(apex.message).to.equal("The user license doesn't allow the permission: Author Apex");
    const assigned = await conn.query<{ PermissionSet: { Name: string } }>(
      `SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE Assignee.Username = 'u${n}@rules.emu' AND PermissionSet.IsOwnedByProfile = false ORDER BY PermissionSet.Name`,
    );
    expect(assigned.records.map((r) => r.PermissionSet.Name)).to.deep.equal(['Open_Read', 'Psl_Set']);
    await conn.sobject('User').update({ Id: user, IsActive: false });
  });

  it("requires a permission set's user license to match the profile's", async () => {
    const intUser = await newUser(intProfile);
    const full = emu.org().permissionSet('Full_License_Set')!.Id;
    const err = await failure(
      conn.sobject('PermissionSetAssignment').create({ AssigneeId: intUser, PermissionSetId: full }),
    );
    expect(err.name).to.equal('FIELD_INTEGRITY_EXCEPTION');
    expect(err.message).to.equal("The user license doesn't allow the permission: Run Reports");
    const stdUser = await newUser(stdProfile);
    expect(
      (await conn.sobject('PermissionSetAssignment').create({ AssigneeId: stdUser, PermissionSetId: full })).success,
    ).to.equal(true);
    expect(
      (
        await conn
          .sobject('PermissionSetAssignment')
          .create({ AssigneeId: stdUser, PermissionSetId: emu.org().permissionSet('Open_Read')!.Id })
      ).success,
    ).to.equal(true);
    await conn.sobject('User').update({ Id: intUser, IsActive: false });
  });

  it('rejects bad references and read-only fields', async () => {
    const badRef = await failure(
      conn.sobject('User').create({ ...BASE, Username: 'ref@rules.emu', ProfileId: '00e000000000000AAA' }),
    );
    expect(badRef.name).to.equal('INVALID_CROSS_REFERENCE_KEY');
    const ro = await failure(conn.sobject('UserLicense').create({ Name: 'x' }));
    expect(ro.name).to.equal('INVALID_TYPE_FOR_OPERATION');
  });

  it('uses the legacy integration profile name when asked', () => {
    const org = emu.addOrg({ legacyIntegrationProfile: true });
    const names = org
      .query("SELECT Name FROM Profile WHERE UserLicense.Name = 'Salesforce Integration'")
      .map((p) => p.Name);
    expect(names).to.deep.equal(['Salesforce API Only System Integrations']);
    expect(
      emu
        .org()
        .query("SELECT Name FROM Profile WHERE UserLicense.Name = 'Salesforce Integration'")
        .map((p) => p.Name),
    ).to.deep.equal(['Minimum Access - API Only Integrations']);
  });

  it('makes 18-char ids with the case checksum and matches 15-char forms', () => {
    expect(checksum('aaaaaaaaaaaaaaa')).to.equal('AAA');
    expect(checksum('AAAAAAAAAAAAAAA')).to.equal('555');
    expect(checksum('Aaaaa' + 'aAaaa' + 'aaaaA')).to.equal('BCQ');
    const id = emu.org().adminUserId;
    expect(to18(id.slice(0, 15))).to.equal(id);
    expect(checksum(id.slice(0, 15))).to.equal(id.slice(15));
    expect(emu.org().query(`SELECT Username FROM User WHERE Id = '${id.slice(0, 15)}'`)).to.have.length(1);
  });

  it('loads a seed from a JSON file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-seed-'));
    try {
      const file = join(dir, 'org.json');
      writeFileSync(
        file,
        JSON.stringify({
          name: 'From File',
          type: 'scratch',
          users: [{ username: 'file@seed.emu', profile: 'Standard User' }],
        }),
      );
      const seed = await loadSeed(file);
      const org = emu.addOrg(Array.isArray(seed) ? seed[0] : seed);
      expect(org.query('SELECT Name FROM Organization')[0].Name).to.equal('From File');
      expect(org.user('file@seed.emu')).to.not.equal(undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
