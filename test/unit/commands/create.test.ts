import { connectAtTestApiVersion } from '../../helpers/api-version.js';
import type { CreateResult } from '../../../src/create/executor.js';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type sinon from 'sinon';
import { SfError } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import IntegrationUserCreate from '../../../src/commands/integration-user/create.js';
import { FakeOrg } from '../fake-org.js';
import { fakeOrgConnection } from '../org-api/setup.js';

describe('integration-user create (command, fake org)', () => {
  const $$ = new TestContext();
  connectAtTestApiVersion($$);
  let org: FakeOrg;
  let username: string;
  let dir: string;
  let reads: sinon.SinonStub;

  beforeEach(async () => {
    let testOrg;
    let conn;
    ({ org, testOrg, conn } = await fakeOrgConnection($$));
    // the command opens its own connection: stub readMetadata on the class (the fake org answers no SOAP)
    reads = $$.SANDBOX.stub(Object.getPrototypeOf(conn.metadata) as { read: () => Promise<unknown> }, 'read').resolves([
      {},
    ]);
    username = testOrg.username;
    stubSfCommandUx($$.SANDBOX);
    dir = await mkdtemp(join(tmpdir(), 'create-cmd-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('--dry-run shows the plan and XML, sends no writes and writes no files', async () => {
    const result = (await IntegrationUserCreate.run([
      '--target-org',
      username,
      '--username',
      'bot@acme.com.integration',
      '--object',
      'Account:read,edit',
      '--field',
      'Contact.Email:read',
      '--output-dir',
      dir,
      '--dry-run',
      '--json',
    ])) as CreateResult;
    expect(result.dryRun).to.equal(true);
    // no validate step any more (issue 12): one deploy, planned
    expect(result.steps.map((s) => s.status)).to.deep.equal([
      'done',
      'planned',
      'planned',
      'planned',
      'planned',
      'planned',
      'planned',
    ]);
    expect(result.permissionSetXml?.[0].xml)
      .to.contain('<object>Account</object>')
      .and.contain('<field>Contact.Email</field>');
    expect(org.requests.filter((r) => !r.startsWith('GET'))).to.deep.equal([]);
    // the only Metadata API call is the read that tells whether a deploy is needed
    expect(reads.args).to.deep.equal([['PermissionSet', ['Integration_bot']]]);
    expect(result.steps.find((s) => s.name === 'deploy')?.detail).to.contain('Integration_bot is not in the org');
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('assigns existing permission sets without deploying anything', async () => {
    const result = (await IntegrationUserCreate.run([
      '--target-org',
      username,
      '--username',
      'bot@acme.com.integration',
      '--permission-set',
      'Shared_Read',
      '--json',
    ])) as CreateResult;
    expect(Object.fromEntries(result.steps.map((s) => [s.name, s.status]))).to.include({
      generate: 'skipped',
      'create-user': 'done',
      deploy: 'skipped',
      'assign-license': 'done',
      'assign-permission-sets': 'done',
    });
    expect(org.psAssignments).to.have.length(1);
  });

  it('fails without a username', async () => {
    const error = (await IntegrationUserCreate.run(['--target-org', username, '--json']).catch(
      (e: unknown) => e,
    )) as SfError;
    expect(error.name).to.equal('MissingUsernameError');
  });
});
