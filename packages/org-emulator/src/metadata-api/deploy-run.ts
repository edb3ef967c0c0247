/**
 * Runs a deploy when its polls are done: reads the zip, validates every component, then applies them (none with
 * rollbackOnError and a failure; checkOnly applies nothing), records the result, and tracks source in scratch orgs.
 */
import type { OrgState } from '../state.js';
import { deployMessage, type DeployJob, type DeployMessage } from './deploy-job.js';
import { planDeploy, type Planned } from './deploy-validate.js';
import { readDeployZip } from './deploy-zip.js';

export async function runDeploy(job: DeployJob): Promise<void> {
  const now = new Date().toISOString();
  const pkg = await readDeployZip(job.zip, job.apiVersion);
  if (typeof pkg === 'string') {
    job.status = 'Failed';
    job.errorStatusCode = 'UNKNOWN_EXCEPTION';
    job.errorMessage = pkg;
    return;
  }
  applyDeploy(job, planDeploy(job, pkg, now), now);
}

function applyDeploy(job: DeployJob, results: Planned[], now: string): void {
  const packageMsg = deployMessage({ type: '', fullName: 'package.xml', fileName: 'package.xml' }, now, {});
  job.total = results.length;
  const failed = results.filter((r) => r.problem);
  const failures = (): DeployMessage[] =>
    failed.map((r) =>
      deployMessage(r.c, now, {
        success: false,
        problem: r.problem,
        problemType: 'Error',
        lineNumber: 0,
        columnNumber: 0,
      }),
    );
  if (failed.length && job.options.rollbackOnError) {
    job.status = 'Failed';
    job.failures = failures();
    job.successes = [packageMsg];
    return;
  }
  job.successes = [packageMsg, ...results.filter((r) => r.apply).map((r) => r.apply!())];
  job.failures = failures();
  job.status = failed.length ? 'SucceededPartial' : 'Succeeded';
  job.org.recountLicenses();
  if (!job.options.checkOnly && job.org.orgType === 'scratch') trackSourceMembers(job.org, job.successes.slice(1));
}

/** Scratch orgs track source: each deployed component gets a SourceMember row with a new revision. */
function trackSourceMembers(org: OrgState, deployed: DeployMessage[]): void {
  let revision = Math.max(0, ...org.all('SourceMember').map((r) => Number(r.RevisionCounter)));
  for (const m of deployed) {
    revision += 1;
    const existing = org.find('SourceMember', (r) => r.MemberType === m.componentType && r.MemberName === m.fullName);
    const values = {
      MemberType: m.componentType,
      MemberName: m.fullName,
      MemberIdOrName: m.id ?? m.fullName,
      RevisionCounter: revision,
      RevisionNum: revision,
      IsNameObsolete: false,
      IsNewMember: !existing,
      ChangedBy: org.adminUserId,
      LastModifiedDate: Date.now(),
    };
    if (existing) org.update(existing, values);
    else org.insert('SourceMember', values);
  }
}
