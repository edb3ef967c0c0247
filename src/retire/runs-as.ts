/**
 * What the org itself runs as a user, one source a row: scheduled and queued Apex, dashboards that run as it,
 * outbound messages, email services, and External Client Apps whose client-credentials flow runs as it. Each source
 * says how it is read and how one of its rows is named and described; movesFor says how to move it.
 */
import { soqlLiteral } from '../org-api/soql.js';
import { movesFor } from './moves.js';
import { get, iso, str, type Rec } from './record-fields.js';
import type { RunsAs, RunsAsKind, TargetUser } from './types.js';

/** The name and detail of one row; undefined when the row doesn't run (a finished schedule). */
type Found = { name: string; detail?: string } | undefined;

type RunsAsSource = {
  kind: RunsAsKind;
  /** the object read, named in a gap when the running user can't read it */
  source: string;
  soql: (user: TargetUser) => string;
  tooling?: boolean;
  found: (r: Rec) => Found;
};

export const RUNS_AS_SOURCES: readonly RunsAsSource[] = [
  {
    kind: 'scheduled-job',
    source: 'CronTrigger',
    soql: (u) =>
      `SELECT Id, CronJobDetail.Name, CronJobDetail.JobType, State, NextFireTime FROM CronTrigger WHERE OwnerId = '${u.id}'`,
    found: (r) =>
      // finished or deleted schedules no longer run
      ['COMPLETE', 'DELETED'].includes(String(r.State))
        ? undefined
        : {
            name: str(get(r, 'CronJobDetail', 'Name')) ?? String(r.Id),
            detail: `state ${String(r.State)}${r.NextFireTime ? `, next run ${iso(r.NextFireTime)}` : ''}`,
          },
  },
  {
    kind: 'apex-job',
    source: 'AsyncApexJob',
    soql: (u) =>
      `SELECT Id, JobType, ApexClass.Name, MethodName, Status FROM AsyncApexJob WHERE CreatedById = '${u.id}' AND Status IN ('Holding', 'Queued', 'Preparing', 'Processing')`,
    found: (r) => ({
      name: [str(get(r, 'ApexClass', 'Name')), str(r.MethodName)].filter(Boolean).join('.') || String(r.Id),
      detail: `${String(r.JobType)} ${String(r.Status)}`,
    }),
  },
  {
    kind: 'dashboard',
    source: 'Dashboard',
    soql: (u) =>
      `SELECT Id, Title, FolderName FROM Dashboard WHERE RunningUserId = '${u.id}' AND Type = 'SpecifiedUser'`,
    found: (r) => ({ name: str(r.Title) ?? String(r.Id), detail: str(r.FolderName) }),
  },
  {
    kind: 'outbound-message',
    source: 'WorkflowOutboundMessage',
    soql: (u) => `SELECT Id, Name FROM WorkflowOutboundMessage WHERE IntegrationUserId = '${u.id}'`,
    tooling: true,
    found: (r) => ({ name: str(r.Name) ?? String(r.Id) }),
  },
  {
    kind: 'email-service',
    source: 'EmailServicesAddress',
    soql: (u) =>
      `SELECT Id, LocalPart, EmailDomainName, IsActive FROM EmailServicesAddress WHERE RunAsUserId = '${u.id}'`,
    found: (r) => ({
      name: [str(r.LocalPart), str(r.EmailDomainName)].filter(Boolean).join('@') || String(r.Id),
      detail: r.IsActive === false ? 'inactive' : undefined,
    }),
  },
  {
    kind: 'client-credentials',
    source: 'ExtlClntAppOauthPlcyCnfg',
    soql: (u) =>
      `SELECT Id, DeveloperName, MasterLabel FROM ExtlClntAppOauthPlcyCnfg WHERE ClientCredentialsFlowUser = ${soqlLiteral(u.username)} AND IsClientCredentialsFlowEnabled = true`,
    found: (r) => ({ name: str(r.DeveloperName) ?? str(r.MasterLabel) ?? String(r.Id) }),
  },
];

/** A source's rows (undefined: unreadable) as what the org runs as the user, with the move for each. */
export function runsAsOf(source: RunsAsSource, rows: Rec[] | undefined): RunsAs[] {
  const out: RunsAs[] = [];
  for (const r of rows ?? []) {
    const found = source.found(r);
    if (!found) continue;
    out.push({
      kind: source.kind,
      ...found,
      blocksDeactivation: false,
      move: movesFor({ kind: source.kind, name: found.name }),
    });
  }
  return out;
}
