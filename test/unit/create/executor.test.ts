import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import type { Connection } from '@salesforce/core';
import { SfError } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import {
  runCreate,
  type CreateResult,
  type Generator,
  type StepName,
  type WrittenSets,
} from '../../../src/create/executor.js';
import { buildRequest, type FlagInput } from '../../../src/create/request.js';
import { createGenerator } from '../../../src/create/generate.js';
import { deriveAlias } from '../../../src/org-api/users.js';
import type { PermissionSetDoc } from '../../../src/permissions/model.js';
import { FakeOrg } from '../fake-org.js';
import { fakeOrgConnection } from '../org-api/setup.js';
import { ALL_STEPS_DONE, stepStatuses } from '../../helpers/requests.js';

const USERNAME = 'marketo.sync@acme.com.integration';

/** Writes minimal source files, so the real SDR deploy path runs against stubbed Metadata API calls. */
function fakeGenerator(): Generator & { written: number } {
  const gen = {
    written: 0,
    generate: (request: { permissionSetName: string }) =>
      Promise.resolve({
        docs: [
          {
            fullName: request.permissionSetName,
            label: 'X',
            license: 'SalesforceAPIIntegrationPsl',
            sections: {},
          },
        ],
        warnings: [],
        omitted: [],
      }),
    toXml: (doc: PermissionSetDoc) => `<PermissionSet><label>${doc.label}</label></PermissionSet>`,
    plan: (docs: PermissionSetDoc[]) =>
      Promise.resolve(docs.map((d) => ({ fullName: d.fullName, state: 'new' as const, files: [], differing: [] }))),
    async write(docs: PermissionSetDoc[], outputDir: string | undefined): Promise<WrittenSets> {
      gen.written++;
      const dir = join(outputDir!, 'permissionsets');
      await mkdir(dir, { recursive: true });
      const files = await Promise.all(
        docs.map(async (d) => {
          const file = join(dir, `${d.fullName}.permissionset-meta.xml`);
          await writeFile(
            file,
            `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata"><label>${d.label}</label></PermissionSet>\n`,
          );
          return file;
        }),
      );
      return { files, sets: docs.map((d) => ({ fullName: d.fullName, action: 'written' as const })) };
    },
  };
  return gen;
}

type DeployScript = {
  problem?: string;
  state?: 'created' | 'changed' | 'unchanged';
  /** readMetadata: the org's label differs from the generated one, or the call fails */
  orgLabel?: string;
  readFails?: boolean;
};

/** Stubs the two Metadata API calls SDR makes; the org's PermissionSet appears on a real (not check-only) deploy. */
function stubMetadata(
  conn: Connection,
  org: FakeOrg,
  script: () => DeployScript,
): { deploys: Array<{ checkOnly: boolean }>; reads: string[][] } {
  const deploys: Array<{ checkOnly: boolean }> = [];
  const reads: string[][] = [];
  let last: { checkOnly: boolean; name: string } = { checkOnly: false, name: '' };
  const deployed = new Set<string>();
  // readMetadata: what a real deploy put in the org (the fake generator's content), an empty record otherwise
  sinon.stub(conn.metadata, 'read').callsFake(((_type: string, names: string[]) => {
    reads.push(names);
    if (script().readFails)
      return Promise.reject(
        Object.assign(new Error('INVALID_TYPE: readMetadata unsupported'), { name: 'INVALID_TYPE' }),
      );
    return Promise.resolve(
      names.map((n) =>
        deployed.has(n)
          ? {
              fullName: n,
              label: script().orgLabel ?? 'X',
              license: 'SalesforceAPIIntegrationPsl',
              hasActivationRequired: false,
              userPermissions: [],
            }
          : {},
      ),
    );
  }) as never);
  sinon.stub(conn.metadata, 'deploy').callsFake(((_zip: unknown, options: { checkOnly?: boolean }) => {
    deploys.push({ checkOnly: Boolean(options.checkOnly) });
    last = { checkOnly: Boolean(options.checkOnly), name: 'Integration_marketo_sync' };
    return Promise.resolve({ id: '0Af000000000001AAA', done: false, state: 'Queued' });
  }) as never);
  sinon.stub(conn.metadata, 'checkDeployStatus').callsFake((() => {
    const s = script();
    let ps = org.permissionSets.find((p) => p.Name === last.name);
    if (!s.problem && !last.checkOnly && !ps) {
      ps = { Id: '0PS000000000099AAA', Name: last.name };
      org.permissionSets.push(ps);
    }
    if (!s.problem && !last.checkOnly) deployed.add(last.name);
    const base = {
      changed: s.state === 'changed',
      created: s.state === 'created' || s.state === undefined,
      deleted: false,
      componentType: 'PermissionSet',
      fileName: `permissionsets/${last.name}.permissionset`,
      fullName: last.name,
    };
    const pkg = {
      changed: false,
      created: false,
      deleted: false,
      componentType: '',
      fileName: 'package.xml',
      fullName: 'package.xml',
      success: true,
    };
    return Promise.resolve({
      id: '0Af000000000001AAA',
      done: true,
      checkOnly: last.checkOnly,
      status: s.problem ? 'Failed' : 'Succeeded',
      success: !s.problem,
      numberComponentErrors: s.problem ? 1 : 0,
      numberComponentsDeployed: 1,
      numberComponentsTotal: 1,
      details: s.problem
        ? {
            componentFailures: [{ ...base, created: false, success: false, problem: s.problem, problemType: 'Error' }],
            componentSuccesses: [pkg],
          }
        : { componentSuccesses: [pkg, { ...base, id: ps?.Id ?? '', success: true }], componentFailures: [] },
    });
  }) as never);
  return { deploys, reads };
}

const stepStatus = stepStatuses;

describe('create executor', () => {
  const $$ = new TestContext();
  let org: FakeOrg;
  let conn: Connection;
  let dir: string;
  let script: DeployScript;
  let deploys: Array<{ checkOnly: boolean }>;
  let reads: string[][];
  let generator: ReturnType<typeof fakeGenerator>;

  const request = (flags: Partial<FlagInput> = {}) =>
    buildRequest(
      {
        username: USERNAME,
        email: 'integrations@acme.com',
        objects: ['Account:read,edit'],
        outputDir: dir,
        permissionSetName: 'Integration_marketo_sync',
        ...flags,
      },
      {},
      deriveAlias,
    );
  const run = (flags: Partial<FlagInput> = {}, dryRun = false) =>
    runCreate({ conn, request: request(flags), generator, dryRun, pollFrequencyMs: 1 });
  const posts = () => org.requests.filter((r) => r.startsWith('POST'));

  beforeEach(async () => {
    ({ org, conn } = await fakeOrgConnection($$));
    dir = await mkdtemp(join(tmpdir(), 'create-exec-'));
    script = {};
    ({ deploys, reads } = stubMetadata(conn, org, () => script));
    generator = fakeGenerator();
  });
  afterEach(async () => {
    sinon.restore();
    await rm(dir, { recursive: true, force: true });
  });

  describe('re-run matrix', () => {
    it('nothing done: runs every step once, one deploy before the user exists', async () => {
      const result = await run();
      expect(stepStatus(result)).to.deep.equal(ALL_STEPS_DONE);
      // issue 12: one real deploy, no check-only validation
      expect(deploys).to.deep.equal([{ checkOnly: false }]);
      const user = org.userByName(USERNAME)!;
      expect(user).to.include({
        Email: 'integrations@acme.com',
        ProfileId: '00e000000000001AAA',
        TimeZoneSidKey: 'Europe/Paris',
        Alias: 'marketos',
      });
      expect(org.pslAssignments).to.have.length(1);
      expect(org.psAssignments).to.deep.include({
        Id: org.psAssignments[0].Id,
        AssigneeId: user.Id,
        PermissionSetId: '0PS000000000099AAA',
      });
      expect(result.userId).to.equal(user.Id);
      // the user is created after the deploy
      const order = org.requests.filter((r) => /^POST/.test(r)).map((r) => r.replace(/^POST \S+\/sobjects\//, ''));
      expect(order).to.deep.equal(['User', 'PermissionSetLicenseAssign', 'PermissionSetAssignment']);
    });

    it('user only: finishes deploy, license and assignments', async () => {
      org.users.push({ Id: '005000000000050AAA', Username: USERNAME, IsActive: true, ProfileId: '00e000000000001AAA' });
      const result = await run();
      expect(stepStatus(result)).to.include({
        'create-user': 'already done',
        deploy: 'done',
        'assign-license': 'done',
        'assign-permission-sets': 'done',
      });
      expect(deploys).to.deep.equal([{ checkOnly: false }]);
      expect(org.users.filter((u) => u.Username === USERNAME)).to.have.length(1);
    });

    it('warns, without changing anything, when the existing user differs from the request', async () => {
      org.users.push({
        Id: '005000000000050AAA',
        Username: USERNAME,
        IsActive: true,
        ProfileId: '00e000000000001AAA',
        Email: 'old@acme.com',
      });
      const result = await run({ role: 'Integrations' });
      expect(result.warnings.join(' ')).to.contain('role').and.contain('old@acme.com');
      expect(org.userByName(USERNAME)).to.include({ Email: 'old@acme.com' }).and.not.have.property('UserRoleId');
    });

    it('user and license: assigns only the permission sets', async () => {
      org.users.push({ Id: '005000000000050AAA', Username: USERNAME, IsActive: true, ProfileId: '00e000000000002AAA' });
      org.pslAssignments.push({
        Id: '2LA1',
        AssigneeId: '005000000000050AAA',
        PermissionSetLicenseId: '0PL000000000001AAA',
      });
      const result = await run();
      expect(stepStatus(result)).to.include({
        'create-user': 'already done',
        'assign-license': 'already done',
        'assign-permission-sets': 'done',
      });
      expect(org.pslAssignments).to.have.length(1);
      expect(posts().some((r) => r.includes('PermissionSetLicenseAssign'))).to.equal(false);
    });

    it('everything: a re-run creates nothing, deploys nothing and reports already done', async () => {
      await run();
      expect(reads).to.deep.equal([['Integration_marketo_sync']]);
      const before = {
        users: org.users.length,
        psl: org.pslAssignments.length,
        ps: org.psAssignments.length,
        posts: posts().length,
      };
      const deploysBefore = deploys.length;
      const again = await run();
      expect(stepStatus(again)).to.deep.include({
        'create-user': 'already done',
        deploy: 'already done',
        'assign-license': 'already done',
        'assign-permission-sets': 'already done',
      });
      expect(again.steps.find((st) => st.name === 'deploy')?.detail).to.contain('in the org as generated');
      expect(deploys, 'no deploy on a re-run').to.have.length(deploysBefore);
      expect({
        users: org.users.length,
        psl: org.pslAssignments.length,
        ps: org.psAssignments.length,
        posts: posts().length,
      }).to.deep.equal(before);
    });

    it("everything but the org's set differs: the re-run deploys it, saying why", async () => {
      await run();
      script = { orgLabel: 'Edited in Setup', state: 'changed' };
      const deploysBefore = deploys.length;
      const again = await run();
      expect(stepStatus(again)).to.include({ deploy: 'done', 'assign-permission-sets': 'already done' });
      expect(again.steps.find((st) => st.name === 'deploy')?.detail).to.contain(
        'Integration_marketo_sync differs in the org (label)',
      );
      expect(deploys.slice(deploysBefore)).to.deep.equal([{ checkOnly: false }]);
    });

    it('readMetadata fails: falls back to deploying (once), with the reason', async () => {
      script = { readFails: true };
      const result = await run();
      expect(stepStatus(result)).to.include({ deploy: 'done' });
      expect(result.steps.find((st) => st.name === 'deploy')?.detail).to.match(
        /could not read the permission sets in the org \(INVALID_TYPE: readMetadata unsupported\): deploying/,
      );
      expect(deploys).to.deep.equal([{ checkOnly: false }]);
    });

    it('the sets are in the org already but the user is new: no validation, no deploy', async () => {
      await run();
      org.users.splice(
        org.users.findIndex((u) => u.Username === USERNAME),
        1,
      );
      org.pslAssignments.length = 0;
      org.psAssignments.length = 0;
      const deploysBefore = deploys.length;
      const again = await run();
      expect(stepStatus(again)).to.include({
        'create-user': 'done',
        deploy: 'already done',
        'assign-permission-sets': 'done',
      });
      expect(deploys).to.have.length(deploysBefore);
      expect(org.psAssignments).to.have.length(1);
    });
  });

  describe('preflight errors change nothing', () => {
    const expectPreflightError = async (name: string, flags: Partial<FlagInput> = {}): Promise<SfError> => {
      const error = (await run(flags).catch((e: unknown) => e)) as SfError;
      expect(error).to.be.instanceOf(SfError);
      expect(error.name).to.equal(name);
      expect(posts()).to.deep.equal([]);
      expect(deploys).to.deep.equal([]);
      expect(generator.written).to.equal(0);
      return error;
    };

    it('no free Salesforce Integration seat: says where to buy and the price', async () => {
      org.userLicense!.UsedLicenses = 5;
      const error = await expectPreflightError('LicenseLimitExceededError');
      expect(error.message).to.contain('5 of 5');
      expect(error.actions?.join(' ')).to.match(/US\$10 per user per month/);
    });
    it('no integration license at all', async () => {
      org.userLicense = undefined;
      await expectPreflightError('PreflightFailedError'); // no license also means no profile
    });
    it('missing permission set license', async () => {
      org.psl = undefined;
      const error = await expectPreflightError('MissingPermissionSetLicenseError');
      expect(error.message).to.contain('SalesforceAPIIntegrationPsl');
    });
    it('no free permission set license seat', async () => {
      org.psl!.UsedLicenses = 5;
      await expectPreflightError('PermissionSetLicenseLimitExceededError');
    });
    it('unknown object', async () => {
      const error = await expectPreflightError('UnknownObjectError', { objects: ['Invoice__c:read'] });
      expect(error.message).to.contain('Invoice__c');
    });
    it('unknown field', async () => {
      const error = await expectPreflightError('UnknownFieldError', { fields: ['Account.Nope__c:read'] });
      expect(error.message).to.contain('Account.Nope__c');
    });
    it('a required or system field via --field: access comes with the object', async () => {
      const error = await expectPreflightError('FieldNotPermissionableError', {
        fields: ['account.name:read', 'Contact.LastName:edit', 'Account.Industry:read'],
      });
      expect(error.message).to.contain('Account.Name, Contact.LastName').and.not.contain('Industry');
      expect(error.actions?.join(' '))
        .to.contain('Remove these fields from --field')
        .and.contain('--object <Object>:read');
    });
    it('edit on a formula field via --field', async () => {
      const error = await expectPreflightError('FieldNotEditableError', { fields: ['Account.tier__c:edit'] });
      expect(error.message).to.contain('Account.Tier__c');
      expect(error.actions?.join(' ')).to.contain(':read');
    });
    it('read on a formula field is fine', async () => {
      const result = await run({ fields: ['Account.Tier__c:read'] });
      expect(result.success).to.equal(true);
    });
    it('unknown user permission', async () => {
      await expectPreflightError('UnknownUserPermissionError', { userPermissions: ['ApiOnlyUser'] });
    });
    it('unknown role', async () => {
      await expectPreflightError('RoleNotFoundError', { role: 'Nope' });
    });
    it('unknown existing permission set', async () => {
      await expectPreflightError('PermissionSetNotFoundError', { permissionSets: ['Nope'] });
    });
    it('an existing permission set tied to another license', async () => {
      org.permissionSets.push({ Id: '0PS000000000007AAA', Name: 'Full_License_Set', LicenseId: '100000000000009AAA' });
      const error = await expectPreflightError('PermissionSetWrongLicenseError', {
        permissionSets: ['Full_License_Set', 'Shared_Read'],
      });
      expect(error.message).to.contain('Full_License_Set').and.not.contain('Shared_Read');
    });
    it('username not email-shaped', async () => {
      await expectPreflightError('InvalidUsernameError', { username: 'not a username' });
    });
    it('an existing user with another profile is an error, not a change', async () => {
      org.users.push({ Id: '005000000000050AAA', Username: USERNAME, IsActive: true, ProfileId: '00e000000000009AAA' });
      const error = await expectPreflightError('UserHasOtherProfileError');
      expect(error.message).to.contain('System Administrator');
    });
    it('an alias over 8 characters, before any read (Salesforce would refuse it only after the file is written)', async () => {
      org.requests.length = 0;
      const error = await expectPreflightError('InvalidAliasError', { alias: 'waytoolongalias' });
      expect(error.message).to.contain('15 characters').and.contain('8');
      expect(org.requests).to.deep.equal([]);
    });
    it('a username over 80 characters', async () => {
      const error = await expectPreflightError('UsernameTooLongError', {
        username: `${'a'.repeat(70)}@acme.com.integration`,
      });
      expect(error.message).to.contain('91 characters');
    });
    it('a permission set name that breaks the API-name rules, with the rule it breaks (not the object-access hint)', async () => {
      const error = await expectPreflightError('InvalidPermissionSetNameError', { permissionSetName: 'bad name!' });
      expect(error.message).to.contain('a space').and.contain('"!"');
      expect(error.actions?.join(' ')).to.contain('--permission-set-name').and.not.contain('Object:read');
    });
    it('--connect with a bad app name, before the user exists, in a dry run as in a real run', async () => {
      org.requests.length = 0;
      for (const dryRun of [false, true]) {
        const error = (await runCreate({
          conn,
          request: request(),
          generator,
          dryRun,
          connect: { appName: 'bad name!', baseDir: dir },
        }).catch((e: unknown) => e)) as SfError;
        expect(error.name).to.equal('InvalidAppNameError');
        expect(error.actions?.join(' ')).to.contain('--connect');
        expect(error.exitCode).to.not.equal(68);
      }
      expect(posts()).to.deep.equal([]);
      expect(org.requests).to.deep.equal([]);
    });
    it('an --output-dir that is a file: a named error, not EEXIST', async () => {
      const file = join(dir, 'a-file');
      await writeFile(file, 'x');
      const error = await expectPreflightError('OutputDirNotDirectoryError', { outputDir: join(file, 'sub') });
      expect(error.message).to.contain(file).and.not.contain('ENOTDIR');
      expect((await expectPreflightError('OutputDirNotDirectoryError', { outputDir: file })).message).to.contain(
        'is a file',
      );
    });
    it('all input problems at once, the same in a dry run', async () => {
      for (const dryRun of [false, true]) {
        const error = (await run({ alias: 'waytoolongalias', permissionSetName: 'Bad__Name' }, dryRun).catch(
          (e: unknown) => e,
        )) as SfError;
        expect(error.name).to.equal('PreflightFailedError');
        expect(error.message).to.contain('2 problems').and.contain('alias').and.contain('two consecutive underscores');
      }
    });
    it('reports several problems at once', async () => {
      org.psl = undefined;
      const error = await expectPreflightError('PreflightFailedError', { role: 'Nope', objects: ['Invoice__c:read'] });
      expect(error.message).to.contain('3 problems');
    });
  });

  describe('org errors', () => {
    it('DUPLICATE_USERNAME (another org): suggests suffixes, leaves no user behind; the deployed set is reused by the re-run', async () => {
      org.failOnce.push({
        match: /^POST .*\/sobjects\/User$/,
        error: { errorCode: 'DUPLICATE_USERNAME', message: 'Duplicate Username.<br>The username already exists' },
      });
      const error = (await run().catch((e: unknown) => e)) as SfError;
      expect(error.name).to.equal('DuplicateUsernameError');
      expect(error.exitCode).to.not.equal(68);
      expect(error.actions?.join(' ')).to.contain(`${USERNAME}.integration`);
      // issue 12: the sets are deployed before the user (no check-only validation); the re-run finds them as generated
      expect(deploys).to.deep.equal([{ checkOnly: false }]);
      expect(org.users.filter((u) => u.Username === USERNAME)).to.have.length(0);
      const again = await run();
      expect(stepStatus(again)).to.include({ deploy: 'already done', 'create-user': 'done' });
      expect(deploys, 'not deployed again').to.have.length(1);
    });
    it('LICENSE_LIMIT_EXCEEDED on create (a race for the last seat)', async () => {
      org.failOnce.push({
        match: /^POST .*\/sobjects\/User$/,
        error: { errorCode: 'LICENSE_LIMIT_EXCEEDED', message: 'License Limit Exceeded' },
      });
      const error = (await run().catch((e: unknown) => e)) as SfError;
      expect(error.name).to.equal('LicenseLimitExceededError');
    });
    it('a failing deploy on an unknown field leaves no user behind', async () => {
      script = { problem: 'In field: field - no CustomField named Account.Nope__c found' };
      const error = (await run().catch((e: unknown) => e)) as SfError;
      expect(error.name).to.equal('DeployFailedError');
      expect(error.message).to.contain('Account.Nope__c');
      expect(error.actions?.join(' ')).to.match(/field .* doesn't exist/);
      expect(org.userByName(USERNAME)).to.equal(undefined);
    });
    it('a permission set the license cannot hold: partial result, exit 68, then a re-run completes', async () => {
      // refused twice, as a real org would: in the combined write with the user (rolled back), then on its own
      const refusal = {
        match: /^POST .*\/sobjects\/PermissionSetAssignment$/,
        error: {
          errorCode: 'FIELD_INTEGRITY_EXCEPTION',
          message: "The user license doesn't allow the permission: View Setup",
        },
      };
      org.failOnce.push(refusal, { ...refusal });
      const error = (await run().catch((e: unknown) => e)) as SfError;
      expect(error.name).to.equal('PartialFailureError');
      expect(error.exitCode).to.equal(68);
      expect(error.message).to.match(/assign-permission-sets.*doesn't allow/s);
      expect(error.message).to.contain('run the same command again');
      expect(error.actions?.join(' ')).to.match(/companion/);
      const data = error.data as CreateResult;
      expect(Object.fromEntries(data.steps.map((s) => [s.name, s.status]))).to.include({
        'create-user': 'done',
        'assign-permission-sets': 'failed',
        'next-steps': 'skipped',
      });
      const again = await run();
      expect(stepStatus(again)['assign-permission-sets']).to.equal('done');
      expect(org.users.filter((u) => u.Username === USERNAME)).to.have.length(1);
      expect(org.pslAssignments).to.have.length(1);
    });

    describe('a companion set (no license) the user license refuses', () => {
      const COMPANION = 'Integration_marketo_sync_Companion';
      /** The fake generator plus a companion holding a permission the Integration user license doesn't allow. */
      const withCompanion = (): void => {
        const base = generator.generate.bind(generator);
        generator.generate = async (req) => {
          const generated = await base(req);
          const companion = {
            fullName: COMPANION,
            label: 'C',
            sections: { userPermissions: [{ name: 'AuthorApex', enabled: true }] },
          } as PermissionSetDoc;
          return { ...generated, docs: [...generated.docs, companion] };
        };
        // the companion's Id: deployed with the licensed set (the stubbed deploy reports one component)
        org.permissionSets.push({ Id: '0PS000000000098AAA', Name: COMPANION, LicenseId: null });
      };
      /** The org refuses every assignment of these permission set Ids, as a real org refuses a set the license can't hold. */
      const refuse = (ids: string[], permission: string): void => {
        const fake = org as unknown as { create(type: string, fields: Record<string, unknown>): unknown };
        const create = fake.create.bind(org);
        sinon.stub(fake, 'create').callsFake((type: string, fields: Record<string, unknown>) => {
          if (type === 'PermissionSetAssignment' && ids.includes(String(fields.PermissionSetId))) {
            throw Object.assign(new Error(`The user license doesn't allow the permission: ${permission}`), {
              name: 'FIELD_INTEGRITY_EXCEPTION',
              errorCode: 'FIELD_INTEGRITY_EXCEPTION',
            });
          }
          return create(type, fields);
        });
      };

      it('is deployed but not assigned: a warning naming the set and the permission, exit 0; a re-run ends the same, no duplicates', async () => {
        withCompanion();
        refuse(['0PS000000000098AAA'], 'Author Apex');
        const result = await run();
        expect(result.success).to.equal(true);
        expect(stepStatus(result)).to.include({
          deploy: 'done',
          'assign-license': 'done',
          'assign-permission-sets': 'done',
          'next-steps': 'done',
        });
        expect(result.permissionSets).to.deep.equal([
          {
            name: 'Integration_marketo_sync',
            generated: true,
            license: 'SalesforceAPIIntegrationPsl',
            assignment: { status: 'done' },
          },
          {
            name: COMPANION,
            generated: true,
            license: undefined,
            assignment: { status: 'skipped', reason: "The user license doesn't allow the permission: Author Apex" },
          },
        ]);
        const warnings = result.warnings.filter((w) => w.includes(COMPANION));
        expect(warnings).to.have.length(1);
        expect(warnings[0])
          .to.contain('Author Apex')
          .and.contain('AuthorApex')
          .and.contain(`${COMPANION}.permissionset-meta.xml`)
          .and.contain('full Salesforce license');
        const userId = org.userByName(USERNAME)!.Id;
        expect(org.psAssignments.map((a) => a.PermissionSetId)).to.deep.equal(['0PS000000000099AAA']);
        expect(org.psAssignments[0].AssigneeId).to.equal(userId);

        const again = await run();
        expect(again.success).to.equal(true);
        expect(stepStatus(again)).to.include({
          'create-user': 'already done',
          'assign-permission-sets': 'already done',
          'next-steps': 'done',
        });
        expect(again.permissionSets.map((p) => p.assignment?.status)).to.deep.equal(['already done', 'skipped']);
        expect(again.warnings.filter((w) => w.includes(COMPANION))).to.have.length(1);
        expect(org.users.filter((u) => u.Username === USERNAME)).to.have.length(1);
        expect(org.pslAssignments).to.have.length(1);
        expect(org.psAssignments).to.have.length(1);
      });

      it('any other refusal of the companion still fails the run (exit 68)', async () => {
        withCompanion();
        const fake = org as unknown as { create(type: string, fields: Record<string, unknown>): unknown };
        const create = fake.create.bind(org);
        sinon.stub(fake, 'create').callsFake((type: string, fields: Record<string, unknown>) => {
          if (type === 'PermissionSetAssignment' && fields.PermissionSetId === '0PS000000000098AAA') {
            throw Object.assign(new Error('insufficient access rights on cross-reference id'), {
              errorCode: 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
            });
          }
          return create(type, fields);
        });
        const error = (await run().catch((e: unknown) => e)) as SfError;
        expect(error.exitCode).to.equal(68);
        expect(error.message).to.contain(`${COMPANION}: insufficient access`);
      });

      it("a set named with --permission-set that the org refuses fails the run (exit 68), the companion's refusal stays a warning", async () => {
        withCompanion();
        refuse(['0PS000000000098AAA', '0PS000000000001AAA'], 'Author Apex');
        const error = (await run({ permissionSets: ['Shared_Read'] }).catch((e: unknown) => e)) as SfError;
        expect(error.name).to.equal('PartialFailureError');
        expect(error.exitCode).to.equal(68);
        expect(error.message)
          .to.contain("Shared_Read: The user license doesn't allow the permission: Author Apex")
          .and.not.contain(`${COMPANION}:`);
        const data = error.data as CreateResult;
        expect(Object.fromEntries(data.steps.map((st) => [st.name, st.status]))).to.include({
          'assign-permission-sets': 'failed',
          'next-steps': 'skipped',
        });
        expect(data.permissionSets.map((p) => [p.name, p.assignment?.status])).to.deep.equal([
          ['Integration_marketo_sync', 'done'],
          [COMPANION, 'skipped'],
          ['Shared_Read', undefined],
        ]);
        expect(data.warnings.some((w) => w.includes(COMPANION))).to.equal(true);
      });

      it('the dry run says the companion may be refused', async () => {
        withCompanion();
        const result = await run({}, true);
        const step = result.steps.find((st) => st.name === 'assign-permission-sets')!;
        expect(step).to.include({ status: 'planned' });
        expect(step.detail)
          .to.contain(`assign Integration_marketo_sync, ${COMPANION}`)
          .and.contain(`${COMPANION} has no license`);
        expect(posts()).to.deep.equal([]);
      });
    });

    for (const [step, match] of [
      ['create-user', /^POST .*\/sobjects\/User$/],
      ['assign-license', /^POST .*\/sobjects\/PermissionSetLicenseAssign$/],
      ['assign-permission-sets', /^POST .*\/sobjects\/PermissionSetAssignment$/],
    ] as Array<[StepName, RegExp]>) {
      for (const after of [false, true])
        it(`a connection dropped ${after ? 'after the org did' : 'before the org did'} ${step}, then a re-run completes without duplicates`, async () => {
          org.failOnce.push({ match, after, error: { errorCode: 'ECONNRESET', message: 'socket hang up' } });
          const error = (await run().catch((e: unknown) => e)) as SfError;
          expect(error.message).to.contain('socket hang up');
          const again = await run();
          expect(again.success).to.equal(true);
          expect(org.users.filter((u) => u.Username === USERNAME)).to.have.length(1);
          expect(org.pslAssignments).to.have.length(1);
          expect(org.psAssignments).to.have.length(1);
        });
    }
  });

  describe('field-level security of converted access', () => {
    it('a profile file naming required, system and formula fields: left out or read only, with warnings, no extra describes', async () => {
      const profile = join(dir, 'Hand.profile-meta.xml');
      const fp = (field: string, editable: boolean): string =>
        `<fieldPermissions><editable>${String(editable)}</editable><field>${field}</field><readable>true</readable></fieldPermissions>`;
      await writeFile(
        profile,
        `<?xml version="1.0" encoding="UTF-8"?><Profile xmlns="http://soap.sforce.com/2006/04/metadata">${fp('Account.Industry', true)}${fp('Account.Name', true)}${fp('Account.Tier__c', true)}${fp('Contact.Id', false)}${fp('Contact.Email', false)}</Profile>`,
      );
      let base: Array<Record<string, unknown>> | undefined;
      const generate = generator.generate.bind(generator);
      generator.generate = (req, context) => {
        base = context?.baseInput?.sections.fieldPermissions;
        return generate(req, context);
      };
      const result = await run({ objects: ['Account:read'], fromProfileFile: profile });
      expect(result.success).to.equal(true);
      expect(base?.map((e) => [e.field, e.editable])).to.deep.equal([
        ['Account.Industry', true],
        ['Account.Tier__c', false],
        ['Contact.Email', false],
      ]);
      expect(result.warnings.filter((w) => w.startsWith('Left out fieldPermissions'))).to.have.length(2);
      expect(result.warnings.find((w) => w.includes('Left out fieldPermissions Account.Name'))).to.contain(
        'read access to Account',
      );
      expect(result.warnings.find((w) => w.includes('Left out fieldPermissions Contact.Id'))).to.contain(
        'read access to Contact',
      );
      expect(result.warnings.find((w) => w.startsWith('Account.Tier__c'))).to.contain('read access only');
      // Account (requested) and Contact (from the file), each once
      expect(org.requests.filter((r) => /sobjects\/(Account|Contact)\/describe/i.test(r))).to.have.length(2);
    });
    it('a --field entry replaces the converted one and is checked as requested', async () => {
      const profile = join(dir, 'P.profile-meta.xml');
      await writeFile(
        profile,
        '<?xml version="1.0" encoding="UTF-8"?><Profile xmlns="http://soap.sforce.com/2006/04/metadata"><fieldPermissions><editable>false</editable><field>Account.Tier__c</field><readable>true</readable></fieldPermissions></Profile>',
      );
      const error = (await run({ fromProfileFile: profile, fields: ['Account.Tier__c:edit'] }).catch(
        (e: unknown) => e,
      )) as SfError;
      expect(error.name).to.equal('FieldNotEditableError');
      expect(posts()).to.deep.equal([]);
    });
  });

  describe('dry run', () => {
    it('prints the plan and XML and changes nothing, not even files', async () => {
      const result = await run({}, true);
      expect(stepStatus(result)).to.include({ generate: 'planned', 'create-user': 'planned', deploy: 'planned' });
      expect(result.permissionSetXml?.[0]).to.include({ name: 'Integration_marketo_sync' });
      expect(result.userRecord).to.include({ Username: USERNAME, ProfileId: '00e000000000001AAA' });
      expect(posts()).to.deep.equal([]);
      expect(deploys).to.deep.equal([]);
      // reading what the org holds is allowed: it tells whether a deploy is planned at all
      expect(reads).to.deep.equal([['Integration_marketo_sync']]);
      expect(await readdir(dir)).to.deep.equal([]);
      expect(JSON.stringify(result)).to.not.match(/password"\s*:|accessToken|00D[\w]{12,15}!/i);
    });
  });

  describe('generated files already in the project', () => {
    const FILE = () => join(dir, 'Integration_marketo_sync.permissionset-meta.xml');
    const runReal = (options: { dryRun?: boolean; force?: boolean } = {}) =>
      runCreate({ conn, request: request(), generator: createGenerator({ cwd: dir }), pollFrequencyMs: 1, ...options });
    const orgWrites = () => org.requests.filter((r) => !r.startsWith('GET'));
    const edit = async (): Promise<string> => {
      const edited = (await readFile(FILE(), 'utf8')).replace(
        '<allowEdit>true</allowEdit>',
        '<allowEdit>false</allowEdit>',
      );
      await writeFile(FILE(), edited);
      return edited;
    };

    it('a hand-edited file stops a first run before any org write; --force replaces it and deploys; identical stays untouched', async () => {
      // the file from an earlier run (e.g. committed), then edited by hand; the org has nothing yet
      await runReal({ dryRun: false });
      const generated = await readFile(FILE(), 'utf8');
      org.users.length = 0;
      org.pslAssignments.length = 0;
      org.psAssignments.length = 0;
      org.requests.length = 0;
      const deploysBefore = deploys.length;
      const edited = await edit();
      const mtime = (await stat(FILE())).mtimeMs;

      const error = (await runReal().catch((e: unknown) => e)) as SfError;
      expect(error.name).to.equal('GeneratedFileDiffersError');
      expect(error.message).to.contain(FILE()).and.contain('Nothing was changed');
      expect(error.actions?.join(' '))
        .to.contain('--force')
        .and.contain('--permission-set-name')
        .and.contain('--output-dir')
        .and.contain('--permission-set <Name>');
      expect(orgWrites(), 'no org write').to.deep.equal([]);
      expect(deploys, 'no deploy, not even check-only').to.have.length(deploysBefore);
      expect(org.userByName(USERNAME)).to.equal(undefined);
      expect(await readFile(FILE(), 'utf8')).to.equal(edited);
      expect((await stat(FILE())).mtimeMs).to.equal(mtime);

      // the dry run says so, writes nothing
      const planned = await runReal({ dryRun: true });
      expect(planned.steps.find((st) => st.name === 'generate')?.detail).to.contain('unless you add --force');
      expect(planned.warnings.join(' ')).to.contain(FILE());
      const plannedForce = await runReal({ dryRun: true, force: true });
      expect(plannedForce.steps.find((st) => st.name === 'generate')?.detail).to.contain(
        'would replace Integration_marketo_sync',
      );
      expect(await readFile(FILE(), 'utf8')).to.equal(edited);

      const forced = await runReal({ force: true });
      expect(stepStatus(forced)).to.include({ generate: 'done', 'create-user': 'done', deploy: 'done' });
      expect(forced.steps.find((st) => st.name === 'generate')?.detail).to.contain(
        'replaced (--force) Integration_marketo_sync',
      );
      expect(await readFile(FILE(), 'utf8')).to.equal(generated);
      expect(deploys.slice(deploysBefore)).to.deep.equal([{ checkOnly: false }]);

      const mtimeForced = (await stat(FILE())).mtimeMs;
      const again = await runReal();
      expect(stepStatus(again)).to.include({ generate: 'already done', 'create-user': 'already done' });
      expect(again.steps.find((st) => st.name === 'generate')?.detail).to.contain('unchanged');
      expect((await stat(FILE())).mtimeMs, 'identical file not rewritten').to.equal(mtimeForced);
    });

    it('an existing user and an edited file: a plain error (not a partial failure), nothing changed', async () => {
      await runReal();
      const before = { writes: orgWrites().length, deploys: deploys.length };
      const edited = await edit();
      const error = (await runReal().catch((e: unknown) => e)) as SfError;
      expect(error.name).to.equal('GeneratedFileDiffersError');
      expect(error.exitCode).to.not.equal(68);
      expect({ writes: orgWrites().length, deploys: deploys.length }).to.deep.equal(before);
      expect(await readFile(FILE(), 'utf8')).to.equal(edited);
    });
  });
});
