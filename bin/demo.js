#!/usr/bin/env node
/**
 * `npm run demo`: the plugin's main jobs on sample data, through the real `sf` CLI, with no org needed.
 *   1. convert a shared-user profile into an integration permission set (samples/profiles)
 *   2. start a local Salesforce org emulator (packages/org-emulator) and log the real sf in to it
 *   3. create an integration user there, show it with `sf data query`, and re-run the same command (a no-op)
 * Everything happens in temporary folders with their own HOME: your sf logins and config are untouched.
 * Runs the built plugin (lib/); the emulator and the e2e harness are TypeScript, loaded through tsx.
 */
import { cp, readFile, rm } from 'node:fs/promises';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { linkPlugin, runSf, sfEnv } = await import('../test/e2e/harness.ts');
const { loadSeed, startEmulator } = await import('@sf-integration-user/org-emulator');

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROFILE = join(ROOT, 'samples', 'profiles', 'Marketo Sync User.profile-meta.xml');
const USERNAME = 'marketo.sync@acme-demo.com.integration';
const started = Date.now();

let step = 0;
const heading = (title) => console.log(`\n${'='.repeat(78)}\n${++step}. ${title}\n${'='.repeat(78)}`);
const show = (args) => console.log(`\n$ sf ${args.map((a) => (/[\s"'*]/.test(a) ? `'${a}'` : a)).join(' ')}\n`);
class DemoError extends Error {}

const home = realpathSync(mkdtempSync(join(tmpdir(), 'sf-iu-demo-')));
// On a terminal sf gets it as is (colours, live progress); into a pipe or log, sf's progress output runs in its
// CI mode (plain lines) instead of redrawing frames.
const tty = Boolean(process.stdout.isTTY);
const env = sfEnv(home, tty ? { TERM: process.env.TERM, NO_COLOR: undefined, FORCE_COLOR: undefined } : { CI: 'true' });
let emulator;

/** Runs sf with its human output shown; fails the demo when sf fails. */
async function sf(args, cwd = home, extraEnv) {
  show(args);
  const r = await runSf(args, env, { json: false, echo: !tty, inherit: tty, cwd, env: extraEnv });
  if (r.exitCode !== 0) throw new DemoError(`sf ${args.slice(0, 3).join(' ')} exited with code ${r.exitCode}`);
  return r;
}

async function main() {
  heading('Setup: a throw-away HOME for the real sf CLI, with this plugin linked');
  console.log(`HOME=${home}`);
  await sf(['--version']);
  await linkPlugin(env);
  console.log('Linked sf-integration-user (built lib/) into that sf.');

  heading('Convert a shared-user profile into an integration permission set (no org needed)');
  const project = join(home, 'acme-integrations');
  await cp(join(ROOT, 'samples', 'demo', 'project'), project, { recursive: true });
  console.log(`SFDX project: ${project}`);
  await sf(['integration-user', 'convert-profile', '--source-file', PROFILE], project);
  const generated = join(
    project,
    'force-app',
    'main',
    'default',
    'permissionsets',
    'Marketo_Sync_User_Integration.permissionset-meta.xml',
  );
  const xml = (await readFile(generated, 'utf8')).split('\n');
  console.log(`\nHead of ${generated.slice(project.length + 1)} (${xml.length} lines):\n`);
  console.log(xml.slice(0, 24).join('\n'));
  console.log('    ...');

  heading('Start a local Salesforce org emulator and log the real sf in to it');
  emulator = await startEmulator({ seed: await loadSeed(join(ROOT, 'samples', 'demo', 'org.json')) });
  const org = emulator.org();
  console.log(`Org emulator: ${emulator.url} (production org "Acme Demo", ${org.id}, Enterprise Edition)`);
  console.log('The access token goes in SF_ACCESS_TOKEN, never on the command line.');
  await sf(
    ['org', 'login', 'access-token', '--instance-url', emulator.url, '--no-prompt', '--alias', 'demo', '--set-default'],
    home,
    {
      SF_ACCESS_TOKEN: org.accessToken,
    },
  );

  heading(
    'Create the integration user: Salesforce Integration license, API-only profile, least-privilege permission set',
  );
  const createArgs = [
    'integration-user',
    'create',
    '--target-org',
    'demo',
    '--username',
    USERNAME,
    '--email',
    'integrations@acme-demo.com',
    '--first-name',
    'Marketo',
    '--last-name',
    'Sync',
    '--object',
    'Lead:read,create,edit',
    '--object',
    'Campaign:read',
    '--field',
    'Lead.Lead_Score__c:edit',
    '--marketing-user',
  ];
  emulator.clearRequests();
  const first = await sf(createArgs, project);
  const firstTrips = emulator.requests.length;
  const user = org.user(USERNAME);
  if (!user) throw new DemoError(`the org has no user ${USERNAME} after create`);
  console.log(`\n(${firstTrips} HTTP round trips to the org, ${(first.ms / 1000).toFixed(1)} s)`);

  heading('Look at the user and its assignments in the org, with sf data query');
  await sf([
    'data',
    'query',
    '--target-org',
    'demo',
    '--query',
    `SELECT Username, Email, Profile.Name, UserPermissionsMarketingUser, IsActive FROM User WHERE Username = '${USERNAME}'`,
  ]);
  await sf([
    'data',
    'query',
    '--target-org',
    'demo',
    '--query',
    `SELECT PermissionSetLicense.MasterLabel, Assignee.Username FROM PermissionSetLicenseAssign WHERE Assignee.Username = '${USERNAME}'`,
  ]);
  await sf([
    'data',
    'query',
    '--target-org',
    'demo',
    '--query',
    `SELECT PermissionSet.Name, PermissionSet.Label FROM PermissionSetAssignment WHERE Assignee.Username = '${USERNAME}' AND PermissionSet.IsOwnedByProfile = false`,
  ]);

  heading('Run the same create again: it finds everything in place and changes nothing');
  const before = snapshot(org);
  emulator.clearRequests();
  const again = await sf(createArgs, project);
  // readMetadata is a read (a POST, as every SOAP call): it tells the re-run the permission set is in place
  const writes = emulator.requests.filter((r) => r.method !== 'GET' && r.soapOperation !== 'readMetadata');
  if (writes.length)
    throw new DemoError(
      `the re-run changed the org: ${writes.map((r) => `${r.method} ${r.path} ${r.soapOperation ?? ''}`).join(', ')}`,
    );
  if (JSON.stringify(snapshot(org)) !== JSON.stringify(before))
    throw new DemoError('the re-run changed the user or its assignments');
  if (!tty && !/already done/.test(again.stdout))
    throw new DemoError('the re-run did not report the steps as already done');
  console.log(
    `\n(${emulator.requests.length} HTTP round trips, all reads: the permission set read back from the org matches the source, so nothing is deployed; ${(again.ms / 1000).toFixed(1)} s; no user, license or assignment added)`,
  );
}

/** The records that make the integration user, to prove a re-run leaves them alone. */
function snapshot(org) {
  return ['User', 'PermissionSetLicenseAssign', 'PermissionSetAssignment', 'PermissionSet'].map((o) =>
    org
      .records(o)
      .map((r) => r.Id)
      .sort(),
  );
}

async function cleanup() {
  await emulator?.stop();
  await rm(home, { recursive: true, force: true });
}

process.once('SIGINT', () => {
  void cleanup().finally(() => process.exit(130));
});

let code = 0;
try {
  await main();
  heading('Done');
  console.log(
    `Demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s. Temporary HOME, project and emulator removed.`,
  );
} catch (e) {
  code = 1;
  console.error(`\nDemo failed: ${e instanceof DemoError ? e.message : (e?.stack ?? e)}`);
} finally {
  await cleanup();
}
process.exit(code);
