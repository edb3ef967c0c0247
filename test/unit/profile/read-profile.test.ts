import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { SfError } from '@salesforce/core';
import sinon from 'sinon';
import { TopLevelChunker } from '../../../src/profile/chunk-scanner.js';
import {
  parseProfileXml,
  parseWholeProfileXml,
  profileNameFromFileName,
  profileXmlParser,
  readProfileFile,
} from '../../../src/profile/read-profile.js';

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
    expect(doc.sections.fieldLevelSecurities).to.deep.equal([
      { editable: false, field: 'Account.Legacy__c', hidden: false },
    ]);
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
    const e = await readProfileFile(join(fixtures, 'Not_A_Profile.permissionset-meta.xml')).catch(
      (err: SfError) => err,
    );
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

describe('read-profile in batches', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'read-profile-test-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Every way of reading gives what one whole-document parse gives. */
  async function expectSameAsWhole(xml: string, name: string): Promise<void> {
    const whole = parseWholeProfileXml(xml, name);
    for (const batchChars of [1, 7, 100, undefined]) {
      expect(parseProfileXml(xml, name, { batchChars }), `batches of ${batchChars ?? 'default'}`).to.deep.equal(whole);
    }
    const path = join(dir, name);
    await writeFile(path, xml, 'utf8');
    expect(await readProfileFile(path, { batchChars: 50 })).to.deep.equal(whole);
  }

  it('reads the fixtures as a whole-document parse does', async () => {
    for (const file of ['Quirks.profile-meta.xml', 'Minimal.profile']) {
      await expectSameAsWhole(await readFile(join(fixtures, file), 'utf8'), file);
    }
  });

  it('parses batch by batch, not the whole document at once', async () => {
    const xml = await readFile(join(fixtures, 'Quirks.profile-meta.xml'), 'utf8');
    const chunker = new TopLevelChunker(200);
    const batches = [...chunker.push(xml), ...chunker.end()];
    expect(batches.length).to.be.greaterThan(5);
    const parse = sinon.spy(profileXmlParser(), 'parse');
    try {
      parseProfileXml(xml, 'Quirks.profile-meta.xml', { batchChars: 200 });
      expect(parse.callCount).to.equal(batches.length);
      expect(Math.max(...parse.args.map(([text]) => String(text).length))).to.be.lessThan(xml.length / 2);
      parse.resetHistory();
      parseProfileXml(`<!DOCTYPE Profile>${xml.slice(xml.indexOf('<Profile'))}`, 'Quirks.profile-meta.xml');
      expect(parse.callCount, 'a DOCTYPE is read whole').to.equal(1);
    } finally {
      parse.restore();
    }
  });

  it('reads tricky markup as a whole-document parse does', async () => {
    const xml = [
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\r\n<!-- <Profile> -->',
      '<Profile xmlns="http://soap.sforce.com/2006/04/metadata">\r\n',
      '<!-- </Profile> --><classAccesses><apexClass><![CDATA[A</classAccesses>]]></apexClass><enabled>True</enabled></classAccesses>\r\n',
      '<loginHours/><fullName>Tricky</fullName>>stray<custom>true</custom>',
      '<userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>\r\n\r\n',
      '<userPermissions k="a>b/>"><enabled>true</enabled><name>R&amp;D</name></userPermissions>text',
      '</Profile>\r\n<!-- end -->\r\n',
    ].join('');
    await expectSameAsWhole(xml, 'Tricky.profile');
    const doc = parseProfileXml(xml, 'Tricky.profile', { batchChars: 1 });
    expect(doc.sections.classAccesses).to.deep.equal([{ apexClass: 'A</classAccesses>', enabled: true }]);
    expect(doc.sections.userPermissions?.map((e) => e.name)).to.deep.equal(['ApiEnabled', 'R&D']);
    expect(doc.sections['#text']).to.deep.equal([{ value: '>straytext' }]);
    expect(doc.fullName).to.equal('Tricky');
  });

  it('streams a file larger than one read with multi-byte characters across the reads', async () => {
    const entries = Array.from(
      { length: 1500 },
      (_, i) =>
        `    <classAccesses>\n        <apexClass>Ünïcødé_日本語_🚀_${i}</apexClass>\n        <enabled>true</enabled>\n    </classAccesses>\n`,
    );
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Profile>\n${entries.join('')}</Profile>\n`;
    expect(Buffer.byteLength(xml)).to.be.greaterThan(3 * 64 * 1024);
    await expectSameAsWhole(xml, 'Wide.profile');
    const path = join(dir, 'Wide.profile');
    const doc = await readProfileFile(path);
    expect(doc.sections.classAccesses).to.have.length(1500);
    expect(doc.sections.classAccesses?.[1499]).to.deep.equal({ apexClass: 'Ünïcødé_日本語_🚀_1499', enabled: true });
  });

  it("reports malformed XML far into the file with the whole document's line and column", async () => {
    const entries = Array.from(
      { length: 200 },
      (_, i) => `    <userPermissions><enabled>true</enabled><name>P${i}</name></userPermissions>\n`,
    );
    entries[150] = '    <userPermissions><enabled>true</enabled><name>P150</nam></userPermissions>\n';
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Profile>\n${entries.join('')}</Profile>\n`;
    const expected = errorOf(() => parseWholeProfileXml(xml, 'Broken.profile'));
    expect(expected.message).to.contain('(line 153, column');
    const batched = errorOf(() => parseProfileXml(xml, 'Broken.profile', { batchChars: 10 }));
    expect([batched.name, batched.message]).to.deep.equal([expected.name, expected.message]);
    const path = join(dir, 'Broken.profile');
    await writeFile(path, xml, 'utf8');
    const streamed = (await readProfileFile(path, { batchChars: 10 }).catch((e: SfError) => e)) as SfError;
    expect([streamed.name, streamed.message]).to.deep.equal([expected.name, expected.message]);
  });

  it('gives the whole-document errors for empty, non-XML, unclosed and non-profile files', async () => {
    const cases: Array<[string, string]> = [
      ['', 'ProfileEmptyError'],
      ['\uFEFF \r\n', 'ProfileEmptyError'],
      ['not xml', 'ProfileNotXmlError'],
      ['<Profile><userPermissions></userPermissions>', 'ProfileNotXmlError'],
      ['<?xml version="1.0"?>\n<PermissionSet><label>x</label></PermissionSet>', 'ProfileIsPermissionSetError'],
      ['<CustomObject/>', 'ProfileWrongRootError'],
    ];
    for (const [xml, name] of cases) {
      const path = join(dir, 'Bad.profile');
      await writeFile(path, xml, 'utf8');
      const streamed = (await readProfileFile(path).catch((e: SfError) => e)) as SfError;
      const direct = errorOf(() => parseProfileXml(xml, 'Bad.profile'));
      expect([streamed.name, direct.name], JSON.stringify(xml)).to.deep.equal([name, name]);
      expect(streamed.message).to.equal(direct.message);
    }
  });
});
