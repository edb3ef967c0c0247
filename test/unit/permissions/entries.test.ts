import { expect } from 'chai';
import { SfError } from '@salesforce/core';
import { enabledEntry, fieldEntry, objectEntry } from '../../../src/permissions/entries.js';

describe('entry helpers for create', () => {
  it('objectEntry adds what each access depends on', () => {
    expect(objectEntry('Account', ['edit'])).to.include({
      allowRead: true,
      allowEdit: true,
      allowCreate: false,
      allowDelete: false,
    });
    expect(objectEntry('Account', ['delete'])).to.include({ allowRead: true, allowEdit: true, allowDelete: true });
    expect(objectEntry('Account', ['viewAll'])).to.include({ allowRead: true, viewAllRecords: true, allowEdit: false });
    expect(objectEntry('Account', ['modifyAll'])).to.deep.equal({
      allowCreate: false,
      allowDelete: true,
      allowEdit: true,
      allowRead: true,
      modifyAllRecords: true,
      object: 'Account',
      viewAllFields: false,
      viewAllRecords: true,
    });
    expect(objectEntry('Account', ['create', 'READ'])).to.include({
      allowCreate: true,
      allowRead: true,
      allowEdit: false,
    });
  });

  it('objectEntry rejects unknown access with the valid ones', () => {
    try {
      objectEntry('Account', ['write']);
      expect.fail('expected an error');
    } catch (e) {
      expect((e as SfError).name).to.equal('UnknownObjectAccessError');
      expect((e as SfError).actions?.[0]).to.contain('modifyAll');
    }
  });

  it('fieldEntry and enabledEntry', () => {
    expect(fieldEntry('Account.Industry', 'edit')).to.deep.equal({
      editable: true,
      field: 'Account.Industry',
      readable: true,
    });
    expect(fieldEntry('Account.Industry', 'read')).to.deep.equal({
      editable: false,
      field: 'Account.Industry',
      readable: true,
    });
    expect(enabledEntry('userPermissions', 'RunReports')).to.deep.equal({ name: 'RunReports', enabled: true });
    expect(enabledEntry('classAccesses', 'X')).to.deep.equal({ apexClass: 'X', enabled: true });
  });
});
