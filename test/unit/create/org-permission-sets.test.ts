import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import {
  checkOrgPermissionSets,
  diffPermissionSet,
  grantsSomething,
  readOrgPermissionSets,
  toDoc,
} from '../../../src/create/org-permission-sets.js';
import type { PermissionSetDoc } from '../../../src/permissions/model.js';

const generated = (): PermissionSetDoc => ({
  fullName: 'Integration_erp',
  label: 'Integration erp',
  description: 'Access of the integration user erp@acme.com.',
  license: 'SalesforceAPIIntegrationPsl',
  sections: {
    objectPermissions: [
      {
        allowCreate: false,
        allowDelete: false,
        allowEdit: true,
        allowRead: true,
        modifyAllRecords: false,
        object: 'Account',
        viewAllFields: false,
        viewAllRecords: false,
      },
    ],
    fieldPermissions: [
      { editable: false, field: 'Account.Industry', readable: true },
      // grants nothing: the org never keeps it
      { editable: false, field: 'Account.Rating', readable: false },
    ],
    userPermissions: [{ enabled: true, name: 'RunReports' }],
  },
});

/** The same set as readMetadata answers it (SOAP text, other order, no description whitespace difference). */
const rawOrg = (): Record<string, unknown> => ({
  fullName: 'Integration_erp',
  label: 'Integration erp',
  description: 'Access of the integration user erp@acme.com.',
  license: 'SalesforceAPIIntegrationPsl',
  hasActivationRequired: 'false',
  userPermissions: { enabled: 'true', name: 'RunReports' },
  fieldPermissions: [{ editable: 'false', field: 'Account.Industry', readable: 'true' }],
  objectPermissions: [
    {
      allowCreate: 'false',
      allowDelete: 'false',
      allowEdit: 'true',
      allowRead: 'true',
      modifyAllRecords: 'false',
      object: 'Account',
      viewAllFields: 'false',
      viewAllRecords: 'false',
    },
  ],
});
const fromOrg = (): PermissionSetDoc => toDoc(rawOrg())!;

describe("the generated permission sets compared with the org's", () => {
  it('equal: same grants, booleans as text, other order, no entries that grant nothing', () => {
    expect(diffPermissionSet(generated(), fromOrg())).to.deep.equal([]);
  });

  it('differs by one field grant', () => {
    const org = fromOrg();
    org.sections.fieldPermissions = [{ editable: 'true', field: 'Account.Industry', readable: 'true' }];
    expect(diffPermissionSet(generated(), org)).to.deep.equal(['fieldPermissions Account.Industry']);
  });

  it('an extra entry in the org that grants something differs', () => {
    const org = fromOrg();
    org.sections.objectPermissions!.push({ allowRead: 'true', object: 'Contact' });
    org.sections.tabSettings = [{ tab: 'standard-Contact', visibility: 'Visible' }];
    expect(diffPermissionSet(generated(), org)).to.deep.equal([
      'objectPermissions Contact only in the org',
      'tabSettings standard-Contact only in the org',
    ]);
  });

  it("the org's all-false entries (objects and fields Salesforce knows) are equal to none", () => {
    const org = fromOrg();
    org.sections.objectPermissions!.push({
      allowCreate: 'false',
      allowDelete: 'false',
      allowEdit: 'false',
      allowRead: 'false',
      modifyAllRecords: 'false',
      object: 'Contact',
      viewAllFields: 'false',
      viewAllRecords: 'false',
    });
    org.sections.fieldPermissions!.push(
      { editable: 'false', field: 'Contact.Email', readable: 'false' },
      { editable: 'false', field: 'Account.Rating', readable: 'false' },
    );
    org.sections.userPermissions!.push({ enabled: 'false', name: 'ViewSetup' });
    org.sections.tabSettings = [{ tab: 'standard-Contact', visibility: 'None' }];
    expect(diffPermissionSet(generated(), org)).to.deep.equal([]);
  });

  it('a missing grant, a different label, license or description differ', () => {
    const org = fromOrg();
    org.sections.userPermissions = [];
    org.label = 'Edited';
    org.license = undefined;
    org.description = undefined;
    expect(diffPermissionSet(generated(), org)).to.deep.equal([
      'label',
      'description',
      'license',
      'userPermissions RunReports not in the org',
    ]);
  });

  it('knows which entries grant something', () => {
    expect(grantsSomething('tabSettings', { tab: 't', visibility: 'Available' })).to.equal(true);
    expect(grantsSomething('tabSettings', { tab: 't', visibility: 'None' })).to.equal(false);
    expect(grantsSomething('objectPermissions', { object: 'A', viewAllRecords: 'true' })).to.equal(true);
    expect(grantsSomething('fieldPermissions', { field: 'A.B', readable: false, editable: 'false' })).to.equal(false);
  });

  it('an empty readMetadata record is a missing set', () => {
    expect(toDoc({})).to.equal(undefined);
    expect(toDoc(null)).to.equal(undefined);
  });

  describe('reading the org', () => {
    const fakeConn = (answer: (names: string[]) => unknown): { conn: Connection; calls: string[][] } => {
      const calls: string[][] = [];
      const conn = {
        metadata: {
          read: (_type: string, names: string[]) => {
            calls.push(names);
            return Promise.resolve(answer(names));
          },
        },
      } as unknown as Connection;
      return { conn, calls };
    };

    it('asks for 10 names per readMetadata call', async () => {
      const names = Array.from({ length: 12 }, (_, i) => `Set_${i}`);
      const { conn, calls } = fakeConn((batch) => batch.map((n) => (n === 'Set_11' ? { fullName: n, label: n } : {})));
      const found = await readOrgPermissionSets(conn, names);
      expect(calls.map((c) => c.length)).to.deep.equal([10, 2]);
      expect([...found].filter(([, d]) => d).map(([n]) => n)).to.deep.equal(['Set_11']);
    });

    it('up to date when every set is in the org as generated; otherwise says why', async () => {
      const same = await checkOrgPermissionSets(fakeConn(() => [rawOrg()]).conn, [generated()]);
      expect(same).to.deep.equal({
        upToDate: true,
        reason: 'Integration_erp in the org as generated: nothing to deploy',
      });
      const missing = await checkOrgPermissionSets(fakeConn(() => [{}]).conn, [generated()]);
      expect(missing).to.deep.equal({ upToDate: false, reason: 'Integration_erp is not in the org' });
    });

    it('a failing read means deploy, with the reason', async () => {
      const conn = {
        metadata: { read: () => Promise.reject(new Error('INVALID_OPERATION: not implemented')) },
      } as unknown as Connection;
      const state = await checkOrgPermissionSets(conn, [generated()]);
      expect(state.upToDate).to.equal(false);
      expect(state.reason).to.equal(
        'could not read the permission sets in the org (INVALID_OPERATION: not implemented): deploying',
      );
    });
  });
});
