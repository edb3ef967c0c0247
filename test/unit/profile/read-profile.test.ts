import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { SfError } from '@salesforce/core';
import { parseProfileXml, profileNameFromFileName, readProfileFile } from '../../../src/profile/read-profile.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'profiles');

function errorOf(fn: () => unknown): SfError {
  try {
    fn();
  } catch (e) {
    return e as SfError;
  }
  throw new Error('expected an error');
}

describe('read-profile', () => {
  it('reads every element, booleans as booleans, entities decoded, comments dropped', async () => {
    const doc = await readProfileFile(join(fixtures, 'Quirks.profile-meta.xml'));
    expect(doc.fullName).to.equal('Quirks');
    expect(doc.userLicense).to.equal('Salesforce');
    expect(doc.custom).to.equal(true);
    expect(doc.description).to.equal('Profile for the R&D "sync" integration');
    expect(doc.sections.classAccesses).to.deep.equal([
      { apexClass: '%%%NAMESPACE%%%SyncService', enabled: true },
      { apexClass: 'Unused', enabled: false },
    ]);
    expect(doc.sections.loginHours).to.deep.equal([{ mondayEnd: '1200', mondayStart: '480' }]);
    expect(doc.sections.categoryGroupVisibilities?.[0].dataCategories).to.equal('Europe,Asia');
    expect(doc.sections.fieldLevelSecurities).to.deep.equal([{ editable: false, field: 'Account.Legacy__c', hidden: false }]);
  });

  it('reads BOM, CRLF and blank-line variants to the same model', async () => {
    const xml = await readFile(join(fixtures, 'Quirks.profile-meta.xml'), 'utf8');
    const plain = parseProfileXml(xml, 'Quirks.profile-meta.xml');
    const quirky = parseProfileXml(`\uFEFF${xml.replace(/\n/g, '\r\n\r\n   \r\n')}`, 'Quirks.profile-meta.xml');
    expect(quirky).to.deep.equal(plain);
  });

  it('takes fullName from the file when present, else from a percent-encoded file name', async () => {
    expect((await readProfileFile(join(fixtures, 'Minimal.profile'))).fullName).to.equal('Sync User');
    expect(profileNameFromFileName('Custom%3A Sales Profile.profile-meta.xml')).to.equal('Custom: Sales Profile');
    expect(profileNameFromFileName('Admin.profile')).to.equal('Admin');
    expect(profileNameFromFileName('notes.txt')).to.equal(undefined);
  });

  it('rejects an empty file', () => {
    const e = errorOf(() => parseProfileXml(' \n\t', 'Empty.profile'));
    expect(e.name).to.equal('ProfileEmptyError');
    expect(e.message).to.contain('Empty.profile is empty');
    expect(e.actions?.length).to.be.greaterThan(0);
  });

  it('rejects text that is not XML, and broken XML', () => {
    expect(errorOf(() => parseProfileXml('{"Profile": {}}', 'p.json')).name).to.equal('ProfileNotXmlError');
    const broken = errorOf(() => parseProfileXml('<Profile><userPermissions></Profile>', 'b.profile'));
    expect(broken.name).to.equal('ProfileNotXmlError');
    expect(broken.message).to.contain('b.profile is not XML');
  });

  it('says so when given a permission set', async () => {
    const e = await readProfileFile(join(fixtures, 'Not_A_Profile.permissionset-meta.xml')).catch((err: SfError) => err);
    expect((e as SfError).name).to.equal('ProfileIsPermissionSetError');
    expect((e as SfError).message).to.contain('is a permission set, not a profile');
  });

  it('rejects another root element', () => {
    const e = errorOf(() => parseProfileXml('<?xml version="1.0"?><CustomObject/>', 'x.object'));
    expect(e.name).to.equal('ProfileWrongRootError');
    expect(e.message).to.contain('<CustomObject>');
  });

  it('reports a missing file with its path', async () => {
    const e = (await readProfileFile(join(fixtures, 'Nope.profile')).catch((err: SfError) => err)) as SfError;
    expect(e.name).to.equal('ProfileUnreadableError');
    expect(e.message).to.contain('Nope.profile').and.contain('ENOENT');
  });

  it('reads an empty profile element', () => {
    expect(parseProfileXml('<Profile xmlns="http://soap.sforce.com/2006/04/metadata"/>', 'E.profile')).to.deep.equal({
      fullName: 'E',
      sections: {},
    });
  });
});
