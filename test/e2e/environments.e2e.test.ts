/**
 * Issue 13 through the real sf: the pipeline example's own commands (examples/ci/integration-users.sh, the very lines
 * the GitHub Actions workflow runs) against an emulated production org, a sandbox refreshed from it and a scratch org.
 * Login is the emulator's access-token login instead of JWT (no network); everything after it is the workflow's.
 */
import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parse } from 'yaml';
import type { EmulatedOrg } from '@sf-integration-user/org-emulator';
import { orgWrites, deploysIn } from '../helpers/requests.js';
import { REPO_ROOT, startSfSession, type SfSession } from './harness.js';

const run = promisify(execFile);
const CI = join(REPO_ROOT, 'examples', 'ci');
const USERS = ['hubspot@acme.com.integration', 'marketo@acme.com.integration'];
type Step = { name?: string; run?: string; if?: string };

describe('the pipeline example against production, a refreshed sandbox and a scratch org, through the real sf', function () {
  let s: SfSession;
  let project: string;
  let prod: EmulatedOrg;

  before(async () => {
    s = await startSfSession({
      seed: {
        type: 'production',
        myDomain: 'acme',
        admin: { username: 'admin@acme-ci.com' },
        permissionSets: [
          { name: 'Hand_Made', license: 'SalesforceAPIIntegrationPsl', userPermissions: ['ApiEnabled'] },
        ],
      },
      alias: 'ci-org',
    });
    prod = s.emulator.org(0);
    project = await s.project();
    await cp(join(CI, 'integrations'), join(project, 'integrations'), { recursive: true });
  });
  after(async () => s?.stop());

  /** The workflow's script, with the workflow's arguments, in the project; resolves with the exit code. */
  const pipeline = async (...args: string[]): Promise<{ code: number; out: string }> => {
    try {
      const { stdout, stderr } = await run('bash', [join(CI, 'integration-users.sh'), ...args], {
        cwd: project,
        env: s.env,
        maxBuffer: 1 << 24,
      });
      return { code: 0, out: stdout + stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return { code: err.code ?? -1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
    }
  };
  const check = (): Promise<{ code: number; out: string }> =>
    pipeline('check', 'ci-org', 'integrations', 'integration-users-drift.md');
  const apply = (): Promise<{ code: number; out: string }> => pipeline('apply', 'ci-org', 'integrations');
  const summary = (): Promise<string> => readFile(join(project, 'integration-users-drift.md'), 'utf8');
  const users = (org: EmulatedOrg): string[] =>
    org
      .records('User')
      .map((u) => String(u.Username))
      .filter((u) => !u.startsWith('admin@'))
      .sort();

  it('the workflow runs these commands: allowlist before install, check on pull requests, apply on merge', async () => {
    const workflow = parse(await readFile(join(CI, 'github-actions.yml'), 'utf8')) as {
      jobs: Record<string, { steps: Step[] }>;
    };
    const steps = Object.values(workflow.jobs)[0].steps;
    const runs = steps.map((st) => st.run ?? '').join('\n');
    expect(runs.indexOf('examples/ci/allow-plugin.sh sf-integration-user'))
      .to.be.greaterThan(-1)
      .and.lessThan(runs.indexOf('sf plugins install sf-integration-user'));
    expect(runs).to.contain('sf org login jwt --username "$SF_USERNAME" --jwt-key-file').and.contain('--alias ci-org');
    const byRun = (text: string): Step | undefined => steps.find((st) => st.run?.trim() === text);
    expect(
      byRun('examples/ci/integration-users.sh check ci-org integrations integration-users-drift.md')?.if,
    ).to.contain('pull_request');
    expect(byRun('examples/ci/integration-users.sh apply ci-org integrations')?.if).to.contain('push');
    const gitlab = await readFile(join(CI, 'gitlab-ci.yml'), 'utf8');
    expect(gitlab)
      .to.contain('examples/ci/integration-users.sh check ci-org integrations integration-users-drift.md')
      .and.contain('examples/ci/integration-users.sh apply ci-org integrations');
  });

  it('allow-plugin.sh writes the unsigned-plugin allowlist sf reads, keeping what is there', async () => {
    const file = join(s.home, '.config', 'sf', 'unsignedPluginAllowList.json');
    await run('bash', [join(CI, 'allow-plugin.sh'), 'other-plugin'], { env: s.env });
    await run('bash', [join(CI, 'allow-plugin.sh'), 'sf-integration-user'], { env: s.env });
    await run('bash', [join(CI, 'allow-plugin.sh'), 'sf-integration-user'], { env: s.env });
    expect(JSON.parse(await readFile(file, 'utf8'))).to.deep.equal(['other-plugin', 'sf-integration-user']);
  });

  it('production: check exits 3 (users missing), apply creates them, check exits 0, apply again changes nothing', async () => {
    const before = await check();
    expect(before.code, before.out).to.equal(3);
    expect(await summary()).to.contain('missing-user');
    const applied = await apply();
    expect(applied.code, applied.out).to.equal(0);
    expect(users(prod)).to.deep.equal(USERS);
    const after = await check();
    expect(after.code, after.out).to.equal(0);
    expect(await summary()).to.contain('every user matches its definition');
    s.emulator.clearRequests();
    const again = await apply();
    expect(again.code, again.out).to.equal(0);
    expect(orgWrites(s.emulator.requests)).to.deep.equal([]);
    expect(deploysIn(s.emulator.requests)).to.deep.equal([]);
  });

  it('drift in production (a set assigned by hand): check exits 3 and writes nothing, deploys nothing', async () => {
    const user = prod.user('marketo@acme.com.integration')!;
    const extra = prod.insert('PermissionSetAssignment', {
      AssigneeId: user.Id,
      PermissionSetId: prod.permissionSet('Hand_Made')!.Id,
      IsActive: true,
    });
    s.emulator.clearRequests();
    const r = await check();
    expect(r.code, r.out).to.equal(3);
    expect(await summary())
      .to.contain('assignment-extra')
      .and.contain('hand_made');
    expect(orgWrites(s.emulator.requests)).to.deep.equal([]);
    expect(deploysIn(s.emulator.requests)).to.deep.equal([]);
    prod.state.table('PermissionSetAssignment').delete(extra.Id);
  });

  it('a sandbox refreshed from production: apply finds each copy (no duplicate), a re-run changes nothing', async () => {
    const uat = s.emulator.refreshSandbox(prod, 'uat');
    await s.loginOrg(uat, 'ci-org');
    const count = uat.records('User').length;
    const r = await apply();
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.contain('.invalid');
    expect(uat.records('User').length).to.equal(count);
    expect(users(uat)).to.deep.equal(USERS.map((u) => `${u}.uat`));
    s.emulator.clearRequests();
    expect((await apply()).code).to.equal(0);
    expect(orgWrites(s.emulator.requests)).to.deep.equal([]);
    expect((await check()).code).to.equal(0);
  });

  it('a scratch org: one user per definition with a unique suffix; a re-run changes nothing', async () => {
    const scratch = s.emulator.addOrg({ type: 'scratch', admin: { username: 'admin@scratch-ci.com' } });
    await s.loginOrg(scratch, 'ci-org');
    expect((await apply()).code).to.equal(0);
    const created = users(scratch);
    expect(created).to.have.length(2);
    expect(created.every((u, i) => u.startsWith(`${USERS[i]}.s`))).to.equal(true);
    expect((await apply()).code).to.equal(0);
    expect(users(scratch)).to.deep.equal(created);
    expect((await check()).code).to.equal(0);
  });

  it('a folder of three definitions with one failing: exit 68, the other two done; fixed, a re-run finishes it', async () => {
    const org = s.emulator.addOrg({ type: 'production', admin: { username: 'admin@acme-ci3.com' } });
    await s.loginOrg(org, 'ci-org');
    // usernames are global: this org's users need names of their own
    const three = USERS.map((u) => u.replace('@acme.com', '@acme3.com'));
    for (const name of ['hubspot', 'marketo']) {
      const file = join(project, 'integrations', `${name}.json`);
      await writeFile(file, (await readFile(file, 'utf8')).replace('@acme.com', '@acme3.com'));
    }
    const netsuite = {
      $schema: 'integration-user-definition.schema.json',
      username: 'netsuite@acme3.com.integration',
      lastName: 'NetSuite',
      permissionSetName: 'NetSuite_Integration',
      objects: { No_Such__c: ['read'] },
    };
    await writeFile(join(project, 'integrations', 'netsuite.json'), JSON.stringify(netsuite));
    const failed = await apply();
    expect(failed.code, failed.out).to.equal(68);
    expect(users(org)).to.deep.equal(three);
    await writeFile(
      join(project, 'integrations', 'netsuite.json'),
      JSON.stringify({ ...netsuite, objects: { Account: ['read'] } }),
    );
    const fixed = await apply();
    expect(fixed.code, fixed.out).to.equal(0);
    expect(users(org)).to.deep.equal([...three, 'netsuite@acme3.com.integration']);
  });
});
