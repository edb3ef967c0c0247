import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { connect, failure } from './clients.js';
import { startEmulator, type Emulator } from '../src/index.js';

type Row = Record<string, unknown>;
const PS_FIELDS = 'Id, Name, Label, Type, IsOwnedByProfile, IsCustom, PermissionSetGroupId';

describe('emulator permission set groups created and assigned through the API', () => {
  let emu: Emulator;
  let conn: Connection;

  before(async () => {
    emu = await startEmulator({
      seed: {
        permissionSets: [{ name: 'Reader', userPermissions: ['ApiEnabled'] }],
        permissionSetGroups: [
          {
            name: 'Seeded_Group',
            label: 'Seeded Group',
            permissionSets: ['Reader'],
            muting: {
              name: 'Seeded_Muting',
              label: 'Seeded Muting',
              userPermissions: ['ApiEnabled'],
              objectPermissions: [{ object: 'Account', allowRead: true }],
            },
          },
        ],
        users: [
          { username: 'one@emu.org', profile: 'Standard User', permissionSetGroups: ['Seeded_Group'] },
          { username: 'two@emu.org', profile: 'Standard User' },
        ],
      },
    });
    conn = await connect(emu);
  });
  after(async () => emu?.stop());

  const aggregateOf = async (groupId: string): Promise<Row[]> =>
    (await conn.query<Row>(`SELECT ${PS_FIELDS} FROM PermissionSet WHERE PermissionSetGroupId = '${groupId}'`)).records;
  const shape = (ps: Row): Row => ({
    Type: ps.Type,
    IsOwnedByProfile: ps.IsOwnedByProfile,
    IsCustom: ps.IsCustom,
    Name: ps.Name,
  });

  it('creates the group with its aggregate permission set (Type Group), like a seeded group', async () => {
    const created = await conn
      .sobject('PermissionSetGroup')
      .create({ DeveloperName: 'Api_Group', MasterLabel: 'Api Group' });
    expect(created.success).to.equal(true);
    const [aggregate, ...more] = await aggregateOf(created.id!);
    expect(more).to.deep.equal([]);
    expect(shape(aggregate)).to.deep.equal({
      Type: 'Group',
      IsOwnedByProfile: false,
      IsCustom: false,
      Name: `X${created.id!}`,
    });
    expect(aggregate.Label).to.equal('Api Group');

    const seededId = emu.org().query("SELECT Id FROM PermissionSetGroup WHERE DeveloperName = 'Seeded_Group'")[0]
      .Id as string;
    const [seeded] = await aggregateOf(seededId);
    expect(shape(seeded)).to.deep.equal({ ...shape(aggregate), Name: `X${seededId}` });
    const group = await conn.singleRecordQuery<Row>(
      `SELECT Status FROM PermissionSetGroup WHERE Id = '${created.id!}'`,
    );
    expect(group.Status).to.equal('Updated');
  });

  it("stores a seeded group's muting set as a MutingPermissionSet record, not a PermissionSet", async () => {
    const groupId = emu.org().query("SELECT Id FROM PermissionSetGroup WHERE DeveloperName = 'Seeded_Group'")[0]
      .Id as string;
    const components = (
      await conn.query<Row>(
        `SELECT PermissionSetId FROM PermissionSetGroupComponent WHERE PermissionSetGroupId = '${groupId}'`,
      )
    ).records;
    const ids = components.map((c) => String(c.PermissionSetId));
    const inList = `(${ids.map((id) => `'${id}'`).join(', ')})`;
    const asPermissionSets = (await conn.query<Row>(`SELECT Id, Name FROM PermissionSet WHERE Id IN ${inList}`))
      .records;
    expect(asPermissionSets.map((r) => r.Name)).to.deep.equal(['Reader']);
    expect((await conn.query<Row>("SELECT Id FROM PermissionSet WHERE Name = 'Seeded_Muting'")).records).to.deep.equal(
      [],
    );

    const [muting, ...more] = (
      await conn.query<Row>(
        `SELECT Id, DeveloperName, MasterLabel, PermissionsApiEnabled FROM MutingPermissionSet WHERE Id IN ${inList}`,
      )
    ).records;
    // real orgs' MutingPermissionSet has no NamespacePrefix (Salesforce's schema data)
    const noNs = await failure(conn.query(`SELECT NamespacePrefix FROM MutingPermissionSet`));
    expect(noNs.errorCode).to.equal('INVALID_FIELD');
    expect(more).to.deep.equal([]);
    expect(String(muting.Id).slice(0, 3)).to.equal('0QM');
    expect(ids).to.include(muting.Id);
    expect([muting.DeveloperName, muting.MasterLabel, muting.PermissionsApiEnabled]).to.deep.equal([
      'Seeded_Muting',
      'Seeded Muting',
      true,
    ]);
    const objects = (
      await conn.query<Row>(
        `SELECT SobjectType, PermissionsRead FROM ObjectPermissions WHERE ParentId IN ('${String(muting.Id)}')`,
      )
    ).records;
    expect(objects.map((o) => [o.SobjectType, o.PermissionsRead])).to.deep.equal([['Account', true]]);
  });

  it('refuses a second group with the same DeveloperName', async () => {
    const e = await failure(
      conn.sobject('PermissionSetGroup').create({ DeveloperName: 'api_group', MasterLabel: 'Again' }),
    );
    expect(e.errorCode).to.equal('DUPLICATE_DEVELOPER_NAME');
  });

  it("assigns a group as Salesforce stores it: PermissionSetGroupId set, PermissionSetId the group's own set", async () => {
    const groupId = emu.org().query("SELECT Id FROM PermissionSetGroup WHERE DeveloperName = 'Api_Group'")[0]
      .Id as string;
    const user = emu.org().user('two@emu.org')!;
    const res = await conn
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: user.Id, PermissionSetGroupId: groupId });
    expect(res.success).to.equal(true);
    const [aggregate] = await aggregateOf(groupId);
    const apiRow = await conn.singleRecordQuery<Row>(
      `SELECT PermissionSetId, PermissionSetGroupId, PermissionSet.Type FROM PermissionSetAssignment WHERE Id = '${res.id!}'`,
    );
    expect(apiRow.PermissionSetId).to.equal(aggregate.Id);
    expect(apiRow.PermissionSetGroupId).to.equal(groupId);
    expect((apiRow.PermissionSet as Row).Type).to.equal('Group');

    const seededRow = await conn.singleRecordQuery<Row>(
      "SELECT PermissionSetId, PermissionSet.Type, PermissionSetGroup.DeveloperName FROM PermissionSetAssignment WHERE Assignee.Username = 'one@emu.org' AND PermissionSetGroupId != null",
    );
    expect((seededRow.PermissionSet as Row).Type).to.equal('Group');

    const again = await failure(
      conn.sobject('PermissionSetAssignment').create({ AssigneeId: user.Id, PermissionSetGroupId: groupId }),
    );
    expect(again.errorCode).to.equal('DUPLICATE_VALUE');
  });

  it('deletes a group only when unassigned, and its aggregate set and components with it', async () => {
    const groupId = emu.org().query("SELECT Id FROM PermissionSetGroup WHERE DeveloperName = 'Api_Group'")[0]
      .Id as string;
    const readerId = emu.org().permissionSet('Reader')!.Id;
    await conn
      .sobject('PermissionSetGroupComponent')
      .create({ PermissionSetGroupId: groupId, PermissionSetId: readerId });
    const blocked = await failure(conn.sobject('PermissionSetGroup').destroy(groupId));
    expect(blocked.errorCode).to.equal('DELETE_FAILED');

    const assignment = emu
      .org()
      .query(`SELECT Id FROM PermissionSetAssignment WHERE PermissionSetGroupId = '${groupId}'`)[0].Id as string;
    await conn.sobject('PermissionSetAssignment').destroy(assignment);
    await conn.sobject('PermissionSetGroup').destroy(groupId);
    expect(await aggregateOf(groupId)).to.deep.equal([]);
    expect(
      emu.org().count(`SELECT COUNT() FROM PermissionSetGroupComponent WHERE PermissionSetGroupId = '${groupId}'`),
    ).to.equal(0);
    expect(emu.org().permissionSet('Reader')).to.not.equal(undefined);
  });
});
