import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { connect, deploySource } from './clients.js';
import { externalClientApps, findEca, INVALID_EXECUTION_USER } from '../src/external-client-apps.js';
import { startEmulator, type Emulator } from '../src/index.js';

const NS = 'http://soap.sforce.com/2006/04/metadata';
const doc = (root: string, body: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">\n${body}\n</${root}>\n`;

/** Source files of one app, written by hand from the WSDL (independent of the plugin's generator). */
function appFiles(
  app: string,
  runAs: string,
  extra: { policies?: string; global?: string } = {},
): Record<string, string> {
  return {
    [`externalClientApps/${app}.eca-meta.xml`]: doc(
      'ExternalClientApplication',
      `<distributionState>Local</distributionState><isProtected>false</isProtected><label>${app}</label>`,
    ),
    [`extlClntAppGlobalOauthSets/${app}_glbloauth.ecaGlblOauth-meta.xml`]: doc(
      'ExtlClntAppGlobalOauthSettings',
      extra.global ??
        `<externalClientApplication>${app}</externalClientApplication><isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled><label>${app}</label>`,
    ),
    [`extlClntAppOauthSettings/${app}_oauth.ecaOauth-meta.xml`]: doc(
      'ExtlClntAppOauthSettings',
      `<commaSeparatedOauthScopes>Api</commaSeparatedOauthScopes><externalClientApplication>${app}</externalClientApplication><label>${app}</label>`,
    ),
    [`extlClntAppOauthPolicies/${app}_oauthPlcy.ecaOauthPlcy-meta.xml`]: doc(
      'ExtlClntAppOauthConfigurablePolicies',
      extra.policies ??
        `<clientCredentialsFlowUser>${runAs}</clientCredentialsFlowUser><externalClientApplication>${app}</externalClientApplication><isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled><label>${app}</label><permittedUsersPolicyType>AdminApprovedPreAuthorized</permittedUsersPolicyType>`,
    ),
  };
}

describe('emulator External Client Apps (deploy through source-deploy-retrieve)', () => {
  let emu: Emulator;
  let conn: Connection;
  let dir: string;

  before(async () => {
    emu = await startEmulator({
      seed: {
        users: [
          { username: 'int@emu.org', lastName: 'Int', profile: 'Minimum Access - API Only Integrations' },
          {
            username: 'gone@emu.org',
            lastName: 'Gone',
            profile: 'Minimum Access - API Only Integrations',
            isActive: false,
          },
          { username: 'person@emu.org', lastName: 'Person', profile: 'Standard User' },
        ],
      },
    });
    conn = await connect(emu);
    dir = mkdtempSync(join(tmpdir(), 'emu-eca-'));
  });
  after(async () => {
    await emu?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const deploy = (files: Record<string, string>, checkOnly = false): ReturnType<typeof deploySource> =>
    deploySource(conn, dir, files, { checkOnly });

  it('accepts an app running as an active API-only user; the org generates the consumer key and secret', async () => {
    const { status, responses } = await deploy(appFiles('Erp_Sync', 'int@emu.org'));
    expect(status).to.equal('Succeeded');
    expect(responses.map((r) => `${r.type} ${r.fullName} ${r.state}`).sort()).to.deep.equal([
      'ExternalClientApplication Erp_Sync Created',
      'ExtlClntAppGlobalOauthSettings Erp_Sync_glbloauth Created',
      'ExtlClntAppOauthConfigurablePolicies Erp_Sync_oauthPlcy Created',
      'ExtlClntAppOauthSettings Erp_Sync_oauth Created',
    ]);
    const global = findEca(emu.org().state, 'ExtlClntAppGlobalOauthSettings', 'Erp_Sync_glbloauth')!;
    expect(global.values.consumerKey).to.match(/^3MVG9/);
    expect(global.values.consumerSecret).to.have.length(64);
    expect(findEca(emu.org().state, 'ExtlClntAppOauthConfigurablePolicies', 'Erp_Sync_oauthPlcy')!.values).to.include({
      clientCredentialsFlowUser: 'int@emu.org',
    });

    // readMetadata answers the settings, never the secret; a re-deploy keeps the generated credentials
    const [read] = (await conn.metadata.read('ExtlClntAppGlobalOauthSettings' as never, [
      'Erp_Sync_glbloauth',
    ])) as unknown as Array<Record<string, unknown>>;
    expect(read).to.include({ fullName: 'Erp_Sync_glbloauth', consumerKey: global.values.consumerKey });
    expect(read).to.not.have.property('consumerSecret');
    const again = await deploy(appFiles('Erp_Sync', 'int@emu.org'));
    expect(again.status).to.equal('Succeeded');
    expect(
      findEca(emu.org().state, 'ExtlClntAppGlobalOauthSettings', 'Erp_Sync_glbloauth')!.values.consumerSecret,
    ).to.equal(global.values.consumerSecret);
  });

  for (const [who, runAs] of [
    ['an unknown user', 'nobody@emu.org'],
    ['an inactive user', 'gone@emu.org'],
    ['a user who is not API only', 'person@emu.org'],
  ]) {
    it(`rejects ${who} as execution user and changes nothing`, async () => {
      const before = externalClientApps(emu.org().state).size;
      const { status, responses } = await deploy(appFiles('Bad_App', runAs));
      expect(status).to.equal('Failed');
      const failed = responses.filter((r) => r.state === 'Failed');
      expect(failed.map((r) => [r.fullName, r.error])).to.deep.include(['Bad_App_oauthPlcy', INVALID_EXECUTION_USER]);
      expect(externalClientApps(emu.org().state).size).to.equal(before);
    });
  }

  it('rejects elements out of the schema order and references to a missing app; checkOnly stores nothing', async () => {
    const outOfOrder = appFiles('Order_App', 'int@emu.org', {
      policies:
        '<externalClientApplication>Order_App</externalClientApplication><clientCredentialsFlowUser>int@emu.org</clientCredentialsFlowUser>',
    });
    const r1 = await deploy(outOfOrder);
    expect(r1.status).to.equal('Failed');
    expect(r1.responses.find((r) => r.state === 'Failed')?.error).to.match(
      /clientCredentialsFlowUser invalid at this location in type ExtlClntAppOauthConfigurablePolicies/,
    );

    const orphan = appFiles('Orphan', 'int@emu.org');
    delete orphan['externalClientApps/Orphan.eca-meta.xml'];
    const r2 = await deploy(orphan);
    expect(r2.status).to.equal('Failed');
    expect(r2.responses.find((r) => r.state === 'Failed')?.error).to.match(/no ExternalClientApplication named Orphan/);

    const r3 = await deploy(appFiles('Check_Only', 'int@emu.org'), true);
    expect(r3.status).to.equal('Succeeded');
    expect(findEca(emu.org().state, 'ExternalClientApplication', 'Check_Only')).to.equal(undefined);
  });
});
