/** A deploy job as the Metadata API reports it: SOAP DeployResult, and the REST deployRequest body. */
import type { DeployJob, DeployMessage } from './deploy-job.js';
import type { Value } from './soap-xml.js';

export function deployResult(job: DeployJob, includeDetails: boolean): Record<string, unknown> {
  const done = !['Pending', 'InProgress', 'Canceling'].includes(job.status);
  const succeeded = job.status === 'Succeeded' || job.status === 'SucceededPartial';
  const admin = job.org.get(job.org.adminUserId);
  const runTestResult = { numFailures: 0, numTestsRun: 0, totalTime: 0 };
  const fmtMsg = (m: DeployMessage): Record<string, Value> => ({ ...m });
  return {
    checkOnly: job.options.checkOnly,
    ...(job.completed ? { completedDate: job.completed } : {}),
    createdBy: job.org.adminUserId,
    createdByName: admin ? [admin.FirstName, admin.LastName].filter(Boolean).join(' ') : 'Admin',
    createdDate: job.created,
    details:
      includeDetails && done
        ? { componentFailures: job.failures.map(fmtMsg), componentSuccesses: job.successes.map(fmtMsg), runTestResult }
        : { componentFailures: [], componentSuccesses: [], runTestResult },
    done,
    ...(job.errorMessage ? { errorMessage: job.errorMessage, errorStatusCode: job.errorStatusCode } : {}),
    id: job.id,
    ignoreWarnings: job.options.ignoreWarnings,
    lastModifiedDate: job.completed ?? job.started ?? job.created,
    numberComponentErrors: job.failures.length,
    numberComponentsDeployed: succeeded ? job.successes.length - 1 : 0,
    numberComponentsTotal: job.total,
    numberTestErrors: 0,
    numberTestsCompleted: 0,
    numberTestsTotal: 0,
    rollbackOnError: job.options.rollbackOnError,
    runTestsEnabled: false,
    ...(job.started ? { startDate: job.started } : {}),
    status: job.status,
    success: succeeded,
  };
}

export function restBody(job: DeployJob, includeDetails: boolean): Record<string, unknown> {
  const result = deployResult(job, includeDetails);
  if (!includeDetails) delete result.details;
  return {
    id: job.id,
    validatedDeployRequestId: job.validatedDeployRequestId ?? null,
    deployResult: result,
    deployOptions: { ...job.options, runTests: job.options.runTests },
  };
}
