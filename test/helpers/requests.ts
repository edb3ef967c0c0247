/**
 * Reading the emulator request log and create's step list: what a run changed in the org and what it deployed.
 */
import type { RequestLogEntry } from '@sf-integration-user/org-emulator';

/** Whether a request only reads: a GET, or a composite / batch request whose subrequests are all GETs. */
export const isRead = (r: RequestLogEntry): boolean =>
  r.method === 'GET' || (r.subrequestMethods?.length ? r.subrequestMethods.every((m) => m === 'GET') : false);

/** Org writes other than deploys (and their polls and read-backs): user, license and assignment DML. */
export const orgWrites = (requests: RequestLogEntry[]): string[] =>
  requests
    .filter((r) => !isRead(r) && !['checkDeployStatus', 'deploy', 'readMetadata'].includes(r.soapOperation ?? ''))
    .map((r) => `${r.method} ${r.path}`);

/** Deploys of any kind: SOAP deploy and its polls, REST deployRequest. */
export const deploysIn = (requests: RequestLogEntry[]): string[] =>
  requests
    .filter(
      (r) =>
        ['deploy', 'checkDeployStatus', 'deployRecentValidation'].includes(r.soapOperation ?? '') ||
        /deployRequest/.test(r.path),
    )
    .map((r) => `${r.method} ${r.path} ${r.soapOperation ?? ''}`);

/** Each create step's status by step name. */
export const stepStatuses = (r: { steps: ReadonlyArray<{ name: string; status: string }> }): Record<string, string> =>
  Object.fromEntries(r.steps.map((s) => [s.name, s.status]));

/** A first create on an org: every step done. */
export const ALL_STEPS_DONE: Readonly<Record<string, string>> = {
  preflight: 'done',
  generate: 'done',
  'create-user': 'done',
  deploy: 'done',
  'assign-license': 'done',
  'assign-permission-sets': 'done',
  'next-steps': 'done',
};
