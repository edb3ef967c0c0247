/**
 * integration-user connect in-process against the org emulator: real HTTP, real source-deploy-retrieve, an
 * access-token auth saved in a temporary HOME.
 */
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import { Org, SfError } from '@salesforce/core';
import IntegrationUserConnect from '../../../src/commands/integration-user/connect.js';
import IntegrationUserCreate from '../../../src/commands/integration-user/create.js';
import type { CreateResult } from '../../../src/create/executor.js';
import { runConnect, type ConnectResult } from '../../../src/connect/connect.js';
import { findEca } from '@sf-integration-user/org-emulator';
import { startEmulator, type Emulator, type EmulatedOrg } from '@sf-integration-user/org-emulator';
import { loginToEmulator, useTempHome, type TempHome } from '../../helpers/emulator-login.js';
import { CONNECT_TEST_API_VERSION } from '../../helpers/api-version.js';
import { captureOutput } from '../../helpers/output.js';
import { isRead, stepStatuses } from '../../helpers/requests.js';

const INT = 'erp.sync@acme.com.integration';

describe('integration-user connect against the emulator', function () {
  this.timeout(30_000);
  let emu: Emulator;
  let org: EmulatedOrg;
  let home: TempHome;
  let dir: string;
  let out: string[];
  let sandbox: sinon.SinonSandbox;

  before(async () => {
    home = await useTempHome('connect-home-', {
      SF_INTEGRATION_USER_POLL_MS: '10',
      SF_ORG_API_VERSION: CONNECT_TEST_API_VERSION,
    });
  });
  after(async () => home.restore());

  beforeEach(async () => {
    emu = await startEmulator({
      seed: {
        users: [
          { username: INT, lastName: 'ERP', profile: 'Minimum Access - API Only Integrations' },
          { username: 'jane@acme.com', lastName: 'Doe', profile: 'Standard User' },
          {
            username: 'old.int@acme.com',
            lastName: 'Old',
            profile: 'Minimum Access - API Only Integrations',
            isActive: false,
          },
        ],
      },
    });
    org = emu.org();
    await loginToEmulator(emu, [org]);
    emu.clearRequests();
    dir = await mkdtemp(join(tmpdir(), 'connect-out-'));
    sandbox = sinon.createSandbox();
    out = captureOutput(sandbox);
  });
  afterEach(async () => {
    sandbox.restore();
    await emu.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const run = (extra: string[] = [], username = INT): Promise<ConnectResult> =>
    IntegrationUserConnect.run([
      '--target-org',
      org.adminUsername,
      '--username',
      username,
      '--app-name',
      'ERP_Sync',
      '--output-dir',
      dir,
      ...extra,
    ]) as unknown as Promise<ConnectResult>;
  const fail = (extra: string[] = [], username = INT): Promise<SfError> =>
    run(extra, username).then(
      () => {
        throw new Error('expected the command to fail');
      },
      (e: SfError) => e,
    );
  // a /composite/batch of GETs (create's preflight) is a read
  const writes = (): string[] =>
    emu.requests
      .filter((r) => !isRead(r) && r.soapOperation !== 'readMetadata')
      .map((r) => `${r.method} ${r.soapOperation ?? r.path}`);

  it('refuses an API version older than External Client Apps with the client credentials flow, before any read or write', async () => {
    const e = await fail(['--api-version', '61.0']);
    expect(e.name).to.equal('ApiVersionTooOldError');
    expect(e.message).to.include('The oldest supported API version is 62.0');
    expect(writes()).to.deep.equal([]);
    expect(emu.requests.filter((r) => r.soql)).to.deep.equal([]);
  });

  it('writes and deploys the app running as the integration user; a re-run is already done; the secret is never shown', async () => {
    const result = await run(['--json']);
    expect(result).to.include({ status: 'done', appName: 'ERP_Sync', username: INT, dryRun: false });
    expect(result.tokenEndpoint).to.equal(`${emu.url}/services/oauth2/token`);
    expect(result.tokenRequest).to.contain('grant_type=client_credentials');
    expect(result.components.map((c) => [c.path.slice(dir.length + 1), c.file])).to.deep.equal([
      ['externalClientApps/ERP_Sync.eca-meta.xml', 'written'],
      ['extlClntAppGlobalOauthSets/ERP_Sync_glbloauth.ecaGlblOauth-meta.xml', 'temporary'],
      ['extlClntAppOauthSettings/ERP_Sync_oauth.ecaOauth-meta.xml', 'written'],
      ['extlClntAppOauthPolicies/ERP_Sync_oauthPlcy.ecaOauthPlcy-meta.xml', 'written'],
    ]);
    // the global OAuth settings reached the org (with a callback URL) but were never written into the project
    expect(await readdir(dir)).to.have.members([
      'externalClientApps',
      'extlClntAppOauthSettings',
      'extlClntAppOauthPolicies',
    ]);
    expect(findEca(org.state, 'ExtlClntAppGlobalOauthSettings', 'ERP_Sync_glbloauth')!.values.callbackUrl).to.equal(
      'https://login.salesforce.com/services/oauth2/success',
    );
    const commit = result.nextSteps.find((n) => n.startsWith('Commit'))!;
    expect(commit)
      .to.contain('ERP_Sync.eca-meta.xml')
      .and.not.contain('glbloauth')
      .and.not.contain('extlClntAppGlobalOauthSets/');
    expect(result.nextSteps.join(' ')).to.contain('must not be added to source control');
    const policies = findEca(org.state, 'ExtlClntAppOauthConfigurablePolicies', 'ERP_Sync_oauthPlcy')!;
    expect(policies.values).to.include({ clientCredentialsFlowUser: INT, isClientCredentialsFlowEnabled: 'true' });
    expect(findEca(org.state, 'ExtlClntAppOauthSettings', 'ERP_Sync_oauth')!.values.commaSeparatedOauthScopes).to.equal(
      'Api',
    );
    const { consumerKey, consumerSecret } = findEca(
      org.state,
      'ExtlClntAppGlobalOauthSettings',
      'ERP_Sync_glbloauth',
    )!.values;
    const printed = out.join('');
    expect(printed).to.contain('"status": "done"');
    expect(printed).to.not.contain(consumerSecret).and.not.contain(consumerKey);
    const files = await Promise.all(
      result.components.filter((c) => c.file !== 'temporary').map((c) => readFile(c.path, 'utf8')),
    );
    expect(files.join('')).to.not.contain(consumerSecret);

    emu.clearRequests();
    out.length = 0;
    const again = await run();
    expect(again.status).to.equal('already done');
    expect(again.components.map((c) => c.file)).to.deep.equal(['unchanged', 'temporary', 'unchanged', 'unchanged']);
    expect(writes()).to.deep.equal([]);
    const human = out.join('');
    expect(human)
      .to.contain('Consumer Key and Secret')
      .and.contain(`POST ${emu.url}/services/oauth2/token`)
      .and.not.contain(consumerSecret);
  });

  it('asks for the Salesforce API Platform as External Client Apps spell it (sfap_api or SFApiPlatform); a callback URL of choice', async () => {
    const result = await run(['--scopes', 'api,sfap_api', '--callback-url', 'https://erp.acme.com/oauth/callback']);
    expect(result.scopes).to.deep.equal(['Api', 'SFApiPlatform']);
    expect(findEca(org.state, 'ExtlClntAppOauthSettings', 'ERP_Sync_oauth')!.values.commaSeparatedOauthScopes).to.equal(
      'Api,SFApiPlatform',
    );
    expect(findEca(org.state, 'ExtlClntAppGlobalOauthSettings', 'ERP_Sync_glbloauth')!.values.callbackUrl).to.equal(
      'https://erp.acme.com/oauth/callback',
    );
    emu.clearRequests();
    expect(
      (await run(['--scopes', 'Api,SFApiPlatform', '--callback-url', 'https://erp.acme.com/oauth/callback'])).status,
    ).to.equal('already done');
    expect(writes()).to.deep.equal([]);
    const bad = await fail(['--callback-url', 'ftp://erp.acme.com']);
    expect(bad.name).to.equal('InvalidCallbackUrlError');
  });

  it('warns about global OAuth settings an earlier run left in the project, and never deploys or rewrites them', async () => {
    const left = join(dir, 'extlClntAppGlobalOauthSets', 'ERP_Sync_glbloauth.ecaGlblOauth-meta.xml');
    await mkdir(join(dir, 'extlClntAppGlobalOauthSets'), { recursive: true });
    await writeFile(left, 'stale');
    const result = await run();
    expect(result.warnings.join('\n')).to.contain(left).and.contain('must not be added to source control');
    expect(await readFile(left, 'utf8')).to.equal('stale');
  });

  for (const mode of ['whenAbsent', 'beside', 'merged'] as const) {
    it(`a re-run is already done whatever the org does with its generated default policy (${mode})`, async () => {
      await emu.stop();
      emu = await startEmulator({
        seed: {
          ecaDefaultOauthPolicy: mode,
          users: [{ username: INT, lastName: 'ERP', profile: 'Minimum Access - API Only Integrations' }],
        },
      });
      org = emu.org();
      await loginToEmulator(emu, [org]);
      expect((await run()).status).to.equal('done');
      const own = findEca(org.state, 'ExtlClntAppOauthConfigurablePolicies', 'ERP_Sync_oauthPlcy');
      const generated = findEca(org.state, 'ExtlClntAppOauthConfigurablePolicies', 'ERP_Sync_oauth_defaultPolicy');
      // what the emulator models in each case
      expect([own !== undefined, generated !== undefined]).to.deep.equal(
        { whenAbsent: [true, false], beside: [true, true], merged: [false, true] }[mode],
      );
      if (mode === 'beside') expect(generated!.values.permittedUsersPolicyType).to.equal('AllSelfAuthorized');
      if (mode === 'merged') expect(generated!.values.clientCredentialsFlowUser).to.equal(INT);
      emu.clearRequests();
      const again = await run();
      expect(again.status).to.equal('already done');
      expect(writes()).to.deep.equal([]);
    });
  }

  for (const [who, username, name] of [
    ['a user who is not API only', 'jane@acme.com', 'UserNotApiOnlyError'],
    ['an inactive user', 'old.int@acme.com', 'UserInactiveError'],
    ['an unknown user', 'nobody@acme.com', 'UserNotFoundError'],
  ]) {
    it(`stops for ${who} with nothing written or deployed`, async () => {
      const error = await fail(['--json'], username);
      expect(error.name).to.equal(name);
      expect(error.message).to.contain('Nothing was changed');
      expect(writes()).to.deep.equal([]);
      expect(await readdir(dir)).to.deep.equal([]);
    });
  }

  it('--dry-run prints the plan and the XML, writes and deploys nothing', async () => {
    const result = await run(['--dry-run', '--scopes', 'api,refresh_token']);
    expect(result.status).to.equal('planned');
    expect(result.scopes).to.deep.equal(['Api', 'RefreshToken']);
    expect(result.xml?.map((x) => x.type)).to.deep.equal([
      'ExternalClientApplication',
      'ExtlClntAppGlobalOauthSettings',
      'ExtlClntAppOauthSettings',
      'ExtlClntAppOauthConfigurablePolicies',
    ]);
    expect(result.components.map((c) => c.file)).to.deep.equal(['planned', 'temporary', 'planned', 'planned']);
    expect(out.join('')).to.contain(`<clientCredentialsFlowUser>${INT}</clientCredentialsFlowUser>`);
    expect(writes()).to.deep.equal([]);
    expect(await readdir(dir)).to.deep.equal([]);
    expect(findEca(org.state, 'ExternalClientApplication', 'ERP_Sync')).to.equal(undefined);
  });

  it('refuses to overwrite other content or change an existing app without --force', async () => {
    const path = join(dir, 'externalClientApps', 'ERP_Sync.eca-meta.xml');
    await mkdir(join(dir, 'externalClientApps'), { recursive: true });
    await writeFile(path, '<ExternalClientApplication/>');
    expect((await fail()).name).to.equal('OutputExistsError');
    expect(writes()).to.deep.equal([]);
    expect((await run(['--force'])).status).to.equal('done');

    // the same app with other scopes: the org holds it, so it is a change that needs --force
    const differs = await fail(['--scopes', 'api,openid']);
    expect(differs.name).to.equal('AppDiffersError');
    expect(differs.message).to.contain('commaSeparatedOauthScopes');
    const changed = await run(['--scopes', 'api,openid', '--force']);
    expect(changed.status).to.equal('done');
    expect(findEca(org.state, 'ExtlClntAppOauthSettings', 'ERP_Sync_oauth')!.values.commaSeparatedOauthScopes).to.equal(
      'Api,OpenID',
    );
  });

  it('names the execution user problem when the org rejects the deploy (a user not checked first)', async () => {
    const jane = org.user('jane@acme.com')!;
    const conn = (await Org.create({ aliasOrUsername: org.adminUsername })).getConnection();
    const error = await runConnect({
      conn,
      username: 'jane@acme.com',
      appName: 'Jane_App',
      baseDir: dir,
      // what create --connect passes: the check is skipped because create knows the user
      knownUser: { id: jane.Id, username: 'jane@acme.com', apiOnly: true, isActive: true },
      deploy: { pollFrequencyMs: 10 },
    }).then(
      () => new SfError('no error'),
      (e: SfError) => e,
    );
    expect(error.name).to.equal('DeployFailedError');
    expect(error.message).to.contain('Enter a valid execution user for the OAuth client credentials flow.');
    expect(error.actions?.join(' ')).to.contain('active and API only');
    expect(findEca(org.state, 'ExternalClientApplication', 'Jane_App')).to.equal(undefined);
  });

  describe('create --connect', () => {
    const NEW = 'marketo.sync@acme.com.integration';
    const create = (extra: string[] = []): Promise<CreateResult> =>
      IntegrationUserCreate.run([
        '--target-org',
        org.adminUsername,
        '--username',
        NEW,
        '--email',
        'integrations@acme.com',
        '--object',
        'Account:read',
        '--output-dir',
        dir,
        '--connect',
        'Marketo_Sync',
        '--json',
        ...extra,
      ]) as unknown as Promise<CreateResult>;

    it('connects after the user is created and assigned; a re-run is already done', async () => {
      const plan = await create(['--dry-run']);
      expect(plan.steps.map((s) => s.name).slice(-3)).to.deep.equal([
        'assign-permission-sets',
        'connect',
        'next-steps',
      ]);
      expect(stepStatuses(plan).connect).to.equal('planned');
      expect(plan.connect?.xml?.[3].xml).to.contain(`<clientCredentialsFlowUser>${NEW}</clientCredentialsFlowUser>`);
      expect(findEca(org.state, 'ExternalClientApplication', 'Marketo_Sync')).to.equal(undefined);

      const result = await create();
      expect(stepStatuses(result)).to.include({
        'create-user': 'done',
        'assign-permission-sets': 'done',
        connect: 'done',
        'next-steps': 'done',
      });
      expect(
        findEca(org.state, 'ExtlClntAppOauthConfigurablePolicies', 'Marketo_Sync_oauthPlcy')!.values
          .clientCredentialsFlowUser,
      ).to.equal(NEW);
      expect(result.files.some((f) => f.endsWith('Marketo_Sync.eca-meta.xml'))).to.equal(true);
      expect(result.nextSteps.join(' '))
        .to.contain('Consumer Key and Secret')
        .and.contain('grant_type=client_credentials');

      emu.clearRequests();
      const again = await create();
      expect(stepStatuses(again)).to.include({ 'create-user': 'already done', connect: 'already done' });
      // a re-run deploys nothing: neither create's permission set (unchanged in the org) nor the app
      expect(writes()).to.deep.equal([]);
      expect(again.connect?.deployId).to.equal(undefined);
    });

    it('has no connect step without --connect', async () => {
      const plan = (await IntegrationUserCreate.run([
        '--target-org',
        org.adminUsername,
        '--username',
        NEW,
        '--dry-run',
        '--json',
      ])) as unknown as CreateResult;
      expect(plan.steps.map((s) => s.name)).to.not.include('connect');
    });
  });
});
