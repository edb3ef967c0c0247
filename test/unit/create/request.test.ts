import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { SfError } from '@salesforce/core';
import {
  buildRequest,
  defaultPermissionSetName,
  parseFieldAccess,
  parseObjectAccess,
  readDefinitionFile,
  wantsGeneratedAccess,
} from '../../../src/create/request.js';
import { deriveAlias } from '../../../src/org-api/users.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'create');

describe('create request', () => {
  it('parses object access, normalising case and separators', () => {
    expect(parseObjectAccess('Account:read, Edit,view_all')).to.deep.equal({
      object: 'Account',
      access: ['read', 'edit', 'viewall'],
    });
    expect(() => parseObjectAccess('Account:write')).to.throw(SfError, /write/);
    expect(() => parseObjectAccess('Account')).to.throw(SfError, /Object:access/);
  });
  it('parses field access', () => {
    expect(parseFieldAccess('Contact.Email:READ')).to.deep.equal({ field: 'Contact.Email', access: 'read' });
    expect(() => parseFieldAccess('Email:read')).to.throw(SfError);
    expect(() => parseFieldAccess('Contact.Email:delete')).to.throw(SfError);
  });
  it('derives a valid default permission set name', () => {
    expect(defaultPermissionSetName('marketo.sync@acme.com')).to.equal('Integration_marketo_sync');
    expect(defaultPermissionSetName('__@x.y')).to.equal('Integration_User');
    expect(defaultPermissionSetName(`${'a'.repeat(100)}@x.y`).length).to.be.at.most(70);
  });
  it('reads a valid definition file, resolving paths against its folder', async () => {
    const def = await readDefinitionFile(join(fixtures, 'marketo.json'));
    expect(def.username).to.equal('marketo.sync@acme.com.integration');
    expect(def.outputDir).to.equal(join(fixtures, 'out'));
  });
  it('rejects an invalid definition file with every problem named', async () => {
    const error = (await readDefinitionFile(join(fixtures, 'invalid.json')).catch((e: unknown) => e)) as SfError;
    expect(error.name).to.equal('DefinitionFileError');
    expect(error.message).to.contain('/objects/Account/1');
    expect(error.message).to.contain('/fields/Contact.Email');
    expect(error.message).to.contain('colour');
  });
  it('rejects a file that is not JSON', async () => {
    const error = (await readDefinitionFile(join(fixtures, '..', '..', 'tsconfig.json.nope')).catch(
      (e: unknown) => e,
    )) as SfError;
    expect(error.name).to.equal('DefinitionFileError');
  });
  it('lets flags override the definition file', async () => {
    const def = await readDefinitionFile(join(fixtures, 'marketo.json'));
    const request = buildRequest(
      {
        email: 'other@acme.com',
        objects: ['Account:read', 'Invoice__c:read,create'],
        fields: ['Contact.Email:edit'],
        userPermissions: ['viewsetup', 'RunReports'],
        marketingUser: true,
      },
      def,
      deriveAlias,
    );
    expect(request).to.deep.include({
      username: 'marketo.sync@acme.com.integration',
      email: 'other@acme.com',
      alias: 'msync',
      role: 'Integrations',
      marketingUser: true,
      permissionSetName: 'Integration_marketo_sync',
    });
    expect(request.objects).to.deep.equal([
      { object: 'Account', access: ['read'] },
      { object: 'Contact', access: ['read'] },
      { object: 'Invoice__c', access: ['read', 'create'] },
    ]);
    expect(request.fields).to.deep.include({ field: 'Contact.Email', access: 'edit' });
    expect(request.userPermissions).to.deep.equal(['ViewSetup', 'RunReports']);
    expect(wantsGeneratedAccess(request)).to.equal(true);
  });
  it('defaults email to the username and last name to its local part', () => {
    const request = buildRequest({ username: 'bot@acme.com' }, {}, deriveAlias);
    expect(request).to.deep.include({ email: 'bot@acme.com', lastName: 'bot', alias: 'bot', marketingUser: false });
    expect(wantsGeneratedAccess(request)).to.equal(false);
  });
});
