import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { connect, deploySource, failure } from './clients.js';
import { startEmulator, type Emulator } from '../src/index.js';

const NS = 'http://soap.sforce.com/2006/04/metadata';

const fp = (field: string, editable: boolean, readable = true): string =>
  `<fieldPermissions><editable>${String(editable)}</editable><field>${field}</field><readable>${String(readable)}</readable></fieldPermissions>`;
const psXml = (fields: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="${NS}">${fields}<hasActivationRequired>false</hasActivationRequired><label>FLS</label></PermissionSet>\n`;

type Field = {
  name: string;
  permissionable: boolean;
  calculated: boolean;
  updateable: boolean;
  createable: boolean;
  nillable: boolean;
};

describe('emulator field-level security: permissionable and calculated fields', () => {
  let emu: Emulator;
  let conn: Connection;
  let dir: string;

  before(async () => {
    emu = await startEmulator({
      seed: {
        objects: [
          {
            name: 'Account',
            fields: [
              { name: 'Score__c', type: 'double' },
              { name: 'Region__c', required: true },
              { name: 'Tier__c', formula: true },
            ],
          },
          {
            name: 'Invoice__c',
            fields: [
              { name: 'Account__c', type: 'reference', referenceTo: 'Account', masterDetail: true },
              { name: 'Total__c', type: 'currency' },
            ],
          },
        ],
      },
    });
    conn = await connect(emu);
    dir = mkdtempSync(join(tmpdir(), 'emu-fls-'));
  });
  after(async () => {
    await emu?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function fields(object: string): Promise<Map<string, Field>> {
    const d = (await conn.describe(object)) as unknown as { fields: Field[] };
    return new Map(d.fields.map((f) => [f.name, f]));
  }

  const deployPs = (name: string, xml: string): ReturnType<typeof deploySource> =>
    deploySource(conn, dir, { [`permissionsets/${name}.permissionset-meta.xml`]: xml });

  it('describes required and system fields as not permissionable, others as permissionable', async () => {
    const account = await fields('Account');
    for (const name of [
      'Id',
      'Name',
      'OwnerId',
      'CreatedDate',
      'CreatedById',
      'LastModifiedDate',
      'LastModifiedById',
      'SystemModstamp',
      'Region__c',
    ]) {
      expect(account.get(name)?.permissionable, name).to.equal(false);
    }
    for (const name of ['Industry', 'Phone', 'Score__c', 'Tier__c'])
      expect(account.get(name)?.permissionable, name).to.equal(true);
    expect(account.get('Name')?.nillable).to.equal(false);
    expect(account.get('Region__c')?.nillable).to.equal(false);
    expect((await fields('Contact')).get('LastName')?.permissionable).to.equal(false);
    const invoice = await fields('Invoice__c');
    expect(invoice.get('Account__c')?.permissionable).to.equal(false);
    expect(invoice.get('Name')?.permissionable).to.equal(false);
    expect(invoice.get('Total__c')?.permissionable).to.equal(true);
  });

  it('describes formula fields as calculated and read-only', async () => {
    const tier = (await fields('Account')).get('Tier__c');
    expect(tier).to.include({ calculated: true, updateable: false, createable: false, permissionable: true });
    expect((await fields('Account')).get('Score__c')).to.include({ calculated: false, updateable: true });
  });

  for (const [what, field] of [
    ['a required standard field', 'Account.Name'],
    ['Contact.LastName', 'Contact.LastName'],
    ['a system field', 'Account.CreatedDate'],
    ['a required custom field', 'Account.Region__c'],
    ['a master-detail field on the child', 'Invoice__c.Account__c'],
  ]) {
    it(`fails a permission set deploy naming ${what}, even read-only`, async () => {
      const { responses, status } = await deployPs('Fls_Bad', psXml(fp('Account.Industry', false) + fp(field, false)));
      expect(status).to.equal('Failed');
      expect(responses[0]).to.include({
        fullName: 'Fls_Bad',
        state: 'Failed',
        error: `You cannot deploy to a required field: ${field}`,
      });
      expect(emu.org().permissionSet('Fls_Bad')).to.equal(undefined);
    });
  }

  it('deploys read access to a formula field (and, leniently, edit) and to ordinary fields', async () => {
    const { status } = await deployPs('Fls_Good', psXml(fp('Account.Score__c', true) + fp('Account.Tier__c', true)));
    expect(status).to.equal('Succeeded');
    const rows = emu
      .org()
      .query(
        "SELECT Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE Parent.Name = 'Fls_Good' ORDER BY Field",
      );
    expect(rows.map((r) => [r.Field, r.PermissionsEdit])).to.deep.equal([
      ['Account.Score__c', true],
      ['Account.Tier__c', true],
    ]);
  });

  it('requires a required custom field on create and refuses writes to a formula field', async () => {
    const missing = await failure(conn.sobject('Account').create({ Name: 'Acme' }));
    expect(missing.errorCode).to.equal('REQUIRED_FIELD_MISSING');
    expect(missing.message).to.contain('Region__c');
    const formula = await failure(conn.sobject('Account').create({ Name: 'Acme', Region__c: 'EU', Tier__c: 'Gold' }));
    expect(formula.errorCode).to.equal('INVALID_FIELD_FOR_INSERT_UPDATE');
  });
});
