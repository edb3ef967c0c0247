/**
 * Metadata API: SOAP deploy/checkDeployStatus/cancelDeploy/deployRecentValidation/retrieve/checkRetrieveStatus/
 * listMetadata/readMetadata and the REST deployRequest resource. Deploys and retrieves are jobs that answer
 * "in progress" for the org's configured number of polls, then complete (applying the deploy at that moment).
 * The parts are in metadata-api/: the SOAP format, the deploy pipeline (zip, validate, run, result), retrieve,
 * listing and reading the org's components.
 */
import { ApiError } from './errors.js';
import { JSON_TYPE, type Reply } from './http/reply.js';
import { to18 } from './ids.js';
import { deployOptions, type DeployJob } from './metadata-api/deploy-job.js';
import { deployResult, restBody } from './metadata-api/deploy-result.js';
import { runDeploy } from './metadata-api/deploy-run.js';
import { parseMultipart } from './metadata-api/multipart.js';
import { listMetadata, readMetadata } from './metadata-api/org-components.js';
import { retrieveResult, type RetrieveJob } from './metadata-api/retrieve.js';
import { arr, bool, soapEnvelope, soapFault, toXml, type Value } from './metadata-api/soap-xml.js';
import type { OrgState, ServerContext } from './state.js';
import { fieldText } from './field-text.js';

/** A SOAP operation: the request's body element in, the response's inner XML out. */
type Operation = (org: OrgState, body: Record<string, unknown>, apiVersion: string) => string | Promise<string>;

export class MetadataApi {
  private readonly deploys = new Map<string, DeployJob>();
  private readonly retrieves = new Map<string, RetrieveJob>();
  private readonly operations = new Map<string, Operation>([
    ['deploy', (org, body, v) => this.deployOp(org, body, v)],
    ['checkDeployStatus', (org, body) => this.checkDeployStatus(org, body)],
    ['cancelDeploy', (org, body) => this.cancelDeploy(org, body)],
    [
      'deployRecentValidation',
      (org, body) => toXml('result', this.quickDeploy(org, fieldText(body.validationId ?? '')).id),
    ],
    ['retrieve', (org, body, v) => this.retrieve(org, body, v)],
    ['checkRetrieveStatus', (org, body) => this.checkRetrieveStatus(org, body)],
    [
      'listMetadata',
      (org, body) =>
        arr(body.queries as Array<Record<string, unknown>>)
          .flatMap((q) => listMetadata(org, fieldText(q.type ?? '')))
          .map((r) => toXml('result', r))
          .join(''),
    ],
    [
      'readMetadata',
      (org, body, v) => {
        const names = arr(body.fullNames as string[]).map(String);
        return `<result>${names.map((n) => readMetadata(org, fieldText(body.type ?? ''), n, v)).join('')}</result>`;
      },
    ],
  ]);

  public constructor(private readonly ctx: ServerContext) {}

  /** A deploy job by id, for tests that inspect state. */
  public deploy(id: string): DeployJob | undefined {
    return this.deploys.get(to18(id));
  }

  public async handle(
    org: OrgState,
    op: string,
    body: Record<string, unknown>,
    apiVersion = org.config.maxApiVersion,
  ): Promise<Reply> {
    const operation = this.operations.get(op);
    if (!operation)
      return soapFault(
        'INVALID_OPERATION',
        `INVALID_OPERATION: the org emulator does not implement ${op || 'this operation'}`,
      );
    try {
      return soapEnvelope(op, await operation(org, body, apiVersion));
    } catch (e) {
      if (e instanceof ApiError) return soapFault(e.errorCode, `${e.errorCode}: ${e.message}`);
      throw e;
    }
  }

  /** REST /metadata/deployRequest[/id]: POST a zip (multipart) or a quick deploy (JSON), GET its status, PATCH cancels. */
  public async rest(
    org: OrgState,
    method: string,
    id: string | undefined,
    raw: Buffer,
    contentType: string,
    version: string,
  ): Promise<Reply> {
    if (!id && method === 'POST') {
      const job = /^application\/json/i.test(contentType)
        ? this.restQuickDeploy(org, raw)
        : this.restDeploy(org, raw, contentType, version);
      return { status: 201, contentType: JSON_TYPE, body: restBody(job, false) };
    }
    if (id && method === 'GET') {
      const job = this.job(org, id);
      await this.advance(job);
      return { status: 200, contentType: JSON_TYPE, body: restBody(job, true) };
    }
    if (id && method === 'PATCH') {
      const job = this.job(org, id);
      this.cancel(job);
      return { status: 202, contentType: JSON_TYPE, body: restBody(job, false) };
    }
    throw new ApiError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed.`, [], 405);
  }

  // ---- SOAP operations ------------------------------------------------------------------------------

  private deployOp(org: OrgState, body: Record<string, unknown>, apiVersion: string): string {
    const zip = Buffer.from(fieldText(body.ZipFile ?? ''), 'base64');
    const job = this.startDeploy(org, zip, (body.DeployOptions ?? {}) as Record<string, unknown>, apiVersion);
    return toXml('result', { done: false, id: job.id, state: 'Queued' });
  }

  private async checkDeployStatus(org: OrgState, body: Record<string, unknown>): Promise<string> {
    const job = this.job(org, fieldText(body.asyncProcessId ?? ''));
    await this.advance(job);
    return toXml('result', deployResult(job, bool(body.includeDetails, false)) as Value);
  }

  private cancelDeploy(org: OrgState, body: Record<string, unknown>): string {
    const job = this.job(org, fieldText(body.id ?? ''));
    this.cancel(job);
    return toXml('result', { done: true, id: job.id });
  }

  private retrieve(org: OrgState, body: Record<string, unknown>, apiVersion: string): string {
    const id = this.ctx.ids.next('09S');
    const request = (body.request ?? body.retrieveRequest ?? {}) as Record<string, unknown>;
    this.retrieves.set(id, { id, org, request, pollsLeft: org.config.retrievePolls, apiVersion });
    return toXml('result', { done: false, id, state: 'Queued' });
  }

  private async checkRetrieveStatus(org: OrgState, body: Record<string, unknown>): Promise<string> {
    const job = this.retrieves.get(to18(fieldText(body.asyncProcessId ?? '')));
    if (!job || job.org !== org) throw new ApiError('INVALID_ID_FIELD', `Retrieve result has been deleted.`);
    if (job.pollsLeft > 0) {
      job.pollsLeft -= 1;
      return toXml('result', { done: false, id: job.id, status: 'InProgress', success: false });
    }
    job.result ??= await retrieveResult(org, job);
    return toXml('result', job.result);
  }

  // ---- REST deployRequest ---------------------------------------------------------------------------

  private restQuickDeploy(org: OrgState, raw: Buffer): DeployJob {
    const b = JSON.parse(raw.toString('utf8') || '{}') as { validatedDeployRequestId?: string };
    if (!b.validatedDeployRequestId) throw new ApiError('INVALID_INPUT', 'validatedDeployRequestId is required');
    return this.quickDeploy(org, b.validatedDeployRequestId);
  }

  /** multipart: the zip as part `file`, the options as `entity_content` JSON `{ deployOptions }`. */
  private restDeploy(org: OrgState, raw: Buffer, contentType: string, version: string): DeployJob {
    const parts = parseMultipart(raw, contentType);
    const file = parts.find((p) => p.name === 'file');
    if (!file) throw new ApiError('INVALID_INPUT', 'The request must include a zip file part named file');
    const entity = parts.find((p) => p.name === 'entity_content');
    const opts = entity
      ? ((JSON.parse(entity.data.toString('utf8')) as { deployOptions?: Record<string, unknown> }).deployOptions ?? {})
      : {};
    return this.startDeploy(org, file.data, opts, version);
  }

  // ---- deploy jobs ------------------------------------------------------------------------------------

  private startDeploy(
    org: OrgState,
    zip: Buffer,
    raw: Record<string, unknown>,
    apiVersion: string,
    validatedDeployRequestId: string | null = null,
  ): DeployJob {
    const job: DeployJob = {
      id: this.ctx.ids.next('0Af'),
      org,
      zip,
      options: deployOptions(raw),
      apiVersion,
      pollsLeft: org.config.deployPolls,
      status: 'Pending',
      created: new Date().toISOString(),
      successes: [],
      failures: [],
      total: 0,
      validatedDeployRequestId,
    };
    this.deploys.set(job.id, job);
    return job;
  }

  private job(org: OrgState, id: string): DeployJob {
    const job = this.deploys.get(to18(id));
    if (!job || job.org !== org) throw new ApiError('INVALID_ID_FIELD', 'invalid id', [], 404);
    return job;
  }

  private cancel(job: DeployJob): void {
    if (job.status === 'Pending' || job.status === 'InProgress') {
      job.status = 'Canceled';
      job.completed = new Date().toISOString();
    }
  }

  private quickDeploy(org: OrgState, validationId: string): DeployJob {
    const v = this.deploys.get(to18(validationId));
    if (!v || v.org !== org || !v.options.checkOnly || v.status !== 'Succeeded') {
      throw new ApiError('INVALID_ID_FIELD', 'The validation ID is invalid or the validation has not succeeded.');
    }
    return this.startDeploy(org, v.zip, { ...v.options, checkOnly: false }, v.apiVersion, v.id);
  }

  /** One poll: "in progress" while polls are left, then the deploy runs. */
  private async advance(job: DeployJob): Promise<void> {
    if (job.status !== 'Pending' && job.status !== 'InProgress') return;
    job.started ??= new Date().toISOString();
    if (job.pollsLeft > 0) {
      job.pollsLeft -= 1;
      job.status = 'InProgress';
      return;
    }
    await runDeploy(job);
    job.completed = new Date().toISOString();
  }
}
