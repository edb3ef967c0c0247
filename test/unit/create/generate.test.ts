import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { createGenerator, requestToConversionInput } from '../../../src/create/generate.js';
import { buildRequest, type FlagInput } from '../../../src/create/request.js';
import { deriveAlias } from '../../../src/org/users.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'create');
const request = (flags: Partial<FlagInput>) => buildRequest({ username: 'bot@acme.com', ...flags }, {}, deriveAlias);

describe('create generator', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'create-gen-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('turns flags into grants with object permission dependencies', async () => {
    const input = await requestToConversionInput(request({ objects: ['Account:delete'], fields: ['Account.Industry:edit'], userPermissions: ['RunReports'] }));
    expect(input.sections.objectPermissions?.[0]).to.include({ object: 'Account', allowRead: true, allowEdit: true, allowDelete: true, allowCreate: false });
    expect(input.sections.fieldPermissions?.[0]).to.include({ field: 'Account.Industry', readable: true, editable: true });
    expect(input.sections.userPermissions?.[0]).to.include({ name: 'RunReports', enabled: true });
  });

  it('lets a flag replace the profile file entry for the same object', async () => {
    const input = await requestToConversionInput(
      request({ fromProfileFile: join(fixtures, 'Small.profile-meta.xml'), objects: ['account:read,edit'] })
    );
    const accounts = input.sections.objectPermissions?.filter((e) => String(e.object).toLowerCase() === 'account');
    expect(accounts).to.have.length(1);
    expect(accounts?.[0]).to.include({ allowEdit: true });
    expect(input.sections.fieldPermissions).to.have.length(1);
  });

  it('generates a licensed set and writes it; a re-run rewrites the same files', async () => {
    const generator = createGenerator({ cwd: dir });
    const req = request({ objects: ['Account:read'], permissionSetName: 'Bot_Access', outputDir: dir });
    const generated = await generator.generate(req);
    expect(generated.docs[0]).to.include({ fullName: 'Bot_Access', license: 'SalesforceAPIIntegrationPsl' });
    const xml = generator.toXml(generated.docs[0]);
    expect(xml).to.contain('<license>SalesforceAPIIntegrationPsl</license>').and.contain('<object>Account</object>');
    const files = await generator.write(generated.docs, dir);
    expect(files).to.have.length(1);
    expect(await readFile(files[0], 'utf8')).to.equal(xml);
    expect(await generator.write(generated.docs, dir)).to.deep.equal(files);
  });

  it('rejects an invalid permission set name before writing anything', async () => {
    const generator = createGenerator({ cwd: dir });
    const error = (await generator.generate(request({ objects: ['Account:read'], permissionSetName: 'Bad__Name_' })).catch((e: unknown) => e)) as Error;
    expect(error.name).to.equal('InvalidAccessError');
  });
});
