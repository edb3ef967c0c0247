import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import { createGenerator, requestToConversionInput } from '../../../src/create/generate.js';
import { buildRequest, type FlagInput } from '../../../src/create/request.js';
import { deriveAlias } from '../../../src/org-api/users.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'create');
const request = (flags: Partial<FlagInput>) => buildRequest({ username: 'bot@acme.com', ...flags }, {}, deriveAlias);

describe('create generator', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'create-gen-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('turns flags into grants with object permission dependencies', async () => {
    const input = await requestToConversionInput(
      request({ objects: ['Account:delete'], fields: ['Account.Industry:edit'], userPermissions: ['RunReports'] }),
    );
    expect(input.sections.objectPermissions?.[0]).to.include({
      object: 'Account',
      allowRead: true,
      allowEdit: true,
      allowDelete: true,
      allowCreate: false,
    });
    expect(input.sections.fieldPermissions?.[0]).to.include({
      field: 'Account.Industry',
      readable: true,
      editable: true,
    });
    expect(input.sections.userPermissions?.[0]).to.include({ name: 'RunReports', enabled: true });
  });

  it('lets a flag replace the profile file entry for the same object', async () => {
    const input = await requestToConversionInput(
      request({ fromProfileFile: join(fixtures, 'Small.profile-meta.xml'), objects: ['account:read,edit'] }),
    );
    const accounts = input.sections.objectPermissions?.filter((e) => String(e.object).toLowerCase() === 'account');
    expect(accounts).to.have.length(1);
    expect(accounts?.[0]).to.include({ allowEdit: true });
    expect(input.sections.fieldPermissions).to.have.length(1);
  });

  it('generates a licensed set and writes it; a re-run leaves identical files alone', async () => {
    const generator = createGenerator({ cwd: dir });
    const req = request({ objects: ['Account:read'], permissionSetName: 'Bot_Access', outputDir: dir });
    const generated = await generator.generate(req);
    expect(generated.docs[0]).to.include({ fullName: 'Bot_Access', license: 'SalesforceAPIIntegrationPsl' });
    const xml = generator.toXml(generated.docs[0]);
    expect(xml).to.contain('<license>SalesforceAPIIntegrationPsl</license>').and.contain('<object>Account</object>');
    const { files, sets } = await generator.write(generated.docs, dir);
    expect(files).to.have.length(1);
    expect(sets).to.deep.equal([{ fullName: 'Bot_Access', action: 'written' }]);
    expect(await readFile(files[0], 'utf8')).to.equal(xml);
    const again = await generator.write(generated.docs, dir);
    expect(again).to.deep.equal({ files, sets: [{ fullName: 'Bot_Access', action: 'unchanged' }] });

    // other content (a hand edit): refused, naming the file and the ways out, unless forced
    await writeFile(files[0], xml.replace('<object>Account</object>', '<object>Contact</object>'));
    const error = (await generator.write(generated.docs, dir).catch((e: unknown) => e)) as SfError;
    expect(error.name).to.equal('GeneratedFileDiffersError');
    expect(error.message).to.contain(files[0]).and.contain('edited by hand');
    expect(error.actions?.join(' '))
      .to.contain('--force')
      .and.contain('--permission-set-name')
      .and.contain('--permission-set <Name>');
    expect(await readFile(files[0], 'utf8')).to.contain('<object>Contact</object>');
    expect(await generator.plan(generated.docs, dir)).to.deep.equal([
      { fullName: 'Bot_Access', state: 'differs', files, differing: files },
    ]);
    expect((await generator.write(generated.docs, dir, { force: true })).sets).to.deep.equal([
      { fullName: 'Bot_Access', action: 'replaced' },
    ]);
    expect(await readFile(files[0], 'utf8')).to.equal(xml);
  });

  it('rejects an invalid permission set name before writing anything', async () => {
    const generator = createGenerator({ cwd: dir });
    const error = (await generator
      .generate(request({ objects: ['Account:read'], permissionSetName: 'Bad__Name_' }))
      .catch((e: unknown) => e)) as Error;
    expect(error.name).to.equal('InvalidPermissionSetNameError');
    expect(error.message).to.contain('two consecutive underscores');
  });
});
