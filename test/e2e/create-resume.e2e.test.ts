/**
 * Issue 4: a dropped connection in each of create's org steps, through the real `sf` against the org emulator,
 * then the same command again completes and the org holds each record once.
 * One sf session for the file; each step gets its own username (and so its own generated permission set).
 */
import { expect } from 'chai';
import type { EmulatedOrg } from '@sf-integration-user/org-emulator';
import { ANSWER_LOST_IN_EACH_WRITE, DROP_IN_EACH_STEP } from '../helpers/drops.js';
import { stepStatuses } from '../helpers/requests.js';
import { startSfSession, type SfResult, type SfSession } from './harness.js';

type CreateResult = {
  username: string;
  userId?: string;
  success: boolean;
  steps: Array<{ name: string; status: string; detail: string }>;
  permissionSets: Array<{ name: string; generated: boolean }>;
};

const ORG_STEPS = ['preflight', 'deploy', 'create-user', 'assign-license', 'assign-permission-sets'];

describe('create resumes after a dropped connection in each step, through the real sf', function () {
  let s: SfSession;
  let org: EmulatedOrg;
  let project: string;
  const timings: string[] = [];

  before(async () => {
    const started = Date.now();
    // nine new Integration users: more seats than the default five
    s = await startSfSession({
      seed: {
        type: 'production',
        admin: { username: 'admin@acme-resume.com' },
        licenses: { integration: 12, integrationPsl: 12 },
      },
      alias: 'prod',
    });
    org = s.emulator.org(0);
    project = await s.project();
    timings.push(`session ${Date.now() - started} ms`);
  });
  after(async () => {
    console.log(`      sf timings: ${timings.join('; ')}`);
    await s?.stop();
  });
  afterEach(() => s?.emulator.faults.clear());

  const create = async (label: string, username: string): Promise<SfResult<CreateResult>> => {
    const r = await s.runSf<CreateResult>(
      [
        'integration-user',
        'create',
        '--target-org',
        'prod',
        '--username',
        username,
        '--email',
        'integrations@acme-resume.com',
        '--object',
        'Account:read,edit',
      ],
      { cwd: project },
    );
    timings.push(`${label} ${r.ms} ms`);
    return r;
  };

  it('the drops cover every org step', () => {
    expect(DROP_IN_EACH_STEP.map((d) => d.step)).to.deep.equal(ORG_STEPS);
  });

  // the org's mixed-DML reading, set per test (separateWrites) and put back after each
  afterEach(() => {
    org.config.compositeMixedDml = 'setup-with-non-setup';
  });

  for (const { step, partial, setInOrg, separateWrites, fault } of DROP_IN_EACH_STEP) {
    it(`a dropped connection in ${step} exits ${partial ? 68 : 1}; the same command then completes with no duplicate records`, async () => {
      const local = `resume.${step.replace(/-/g, '')}`;
      const username = `${local}@acme-resume.com.integration`;
      const ps = `Integration_${local.replace(/\./g, '_')}`;
      if (separateWrites) org.config.compositeMixedDml = 'any-setup-mix';
      const added = s.emulator.faults.add(fault);

      const r = await create(`${step} (dropped)`, username);
      expect(added.fired, 'the fault fired').to.equal(1);
      const out = r.stdout + r.stderr;
      expect(r.exitCode, out).to.equal(partial ? 68 : 1);
      expect(r.json?.exitCode, out).to.equal(r.exitCode);
      if (partial) {
        expect(r.json?.message, out)
          .to.contain(`Step "${step}" failed`)
          .and.contain('connection to the org was lost')
          .and.contain('run the same command again');
        const statuses = stepStatuses(r.json?.data as CreateResult);
        expect(statuses[step]).to.equal('failed');
        expect(
          Object.entries(statuses)
            .filter(([, v]) => v === 'failed')
            .map(([k]) => k),
        ).to.deep.equal([step]);
        expect(org.user(username), 'the user exists').to.not.equal(undefined);
      } else {
        expect(r.json?.name, out).to.equal('ConnectionLostError');
        expect(r.json?.message, out).to.contain(`during step "${step}"`);
        expect(r.json?.actions?.join(' '), out).to.contain('run the same command again');
        expect(org.user(username), 'no user yet').to.equal(undefined);
        // the set is deployed before the user: it is in the org only when the deploy step was done
        if (setInOrg) expect(org.permissionSet(ps), 'the set deployed before the user').to.not.equal(undefined);
        else expect(org.permissionSet(ps), 'no permission set yet').to.equal(undefined);
      }

      const again = await create(`${step} (re-run)`, username);
      expect(again.exitCode, again.stdout + again.stderr).to.equal(0);
      expect(again.result).to.include({ success: true, username });
      // the re-run does the dropped step; the user a partial run made is found, not created again
      expect(stepStatuses(again.result)).to.include({
        [step]: 'done',
        'create-user': partial ? 'already done' : 'done',
      });
      expect(again.result.permissionSets.filter((p) => p.generated).map((p) => p.name)).to.deep.equal([ps]);

      expectExactlyOnce(username, ps, again.result);
    });
  }

  for (const { step, separateWrites, fault } of ANSWER_LOST_IN_EACH_WRITE) {
    it(`the org does ${step} but its answer is lost: the same command then finds it done, with no duplicate records`, async () => {
      const local = `lost.${step.replace(/-/g, '')}`;
      const username = `${local}@acme-resume.com.integration`;
      const ps = `Integration_${local.replace(/\./g, '_')}`;
      if (separateWrites) org.config.compositeMixedDml = 'any-setup-mix';
      const added = s.emulator.faults.add(fault);

      const r = await create(`${step} (answer lost)`, username);
      expect(added.fired, 'the fault fired').to.equal(1);
      const out = r.stdout + r.stderr;
      expect(r.exitCode, out).to.be.oneOf([1, 68]);
      expect(`${r.json?.message ?? ''} ${(r.json?.actions ?? []).join(' ')}`, out).to.contain(
        'run the same command again',
      );
      expect(org.user(username), 'the org created the user').to.not.equal(undefined);

      const again = await create(`${step} (re-run after lost answer)`, username);
      expect(again.exitCode, again.stdout + again.stderr).to.equal(0);
      expect(stepStatuses(again.result)).to.include({ [step]: 'already done', 'create-user': 'already done' });
      expectExactlyOnce(username, ps, again.result);
    });
  }

  /** One user, one license assignment, one assignment of the one generated set: nothing duplicated by the re-run. */
  function expectExactlyOnce(username: string, ps: string, result: CreateResult): void {
    const users = org.query(`SELECT Id FROM User WHERE Username = '${username}'`);
    expect(users, 'one user').to.have.length(1);
    const id = String(users[0].Id);
    expect(result.userId).to.equal(id);
    const licenses = org.query(
      `SELECT PermissionSetLicense.DeveloperName FROM PermissionSetLicenseAssign WHERE AssigneeId = '${id}'`,
    );
    expect(licenses.map((l) => (l.PermissionSetLicense as { DeveloperName: string }).DeveloperName)).to.deep.equal([
      'SalesforceAPIIntegrationPsl',
    ]);
    const assignments = org.query(
      `SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = '${id}' AND PermissionSet.IsOwnedByProfile = false`,
    );
    expect(assignments.map((a) => (a.PermissionSet as { Name: string }).Name)).to.deep.equal([ps]);
    expect(org.count(`SELECT Id FROM PermissionSet WHERE Name = '${ps}'`), 'one permission set').to.equal(1);
  }
});
