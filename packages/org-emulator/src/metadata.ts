/**
 * Metadata API: SOAP deploy/checkDeployStatus/cancelDeploy/deployRecentValidation/retrieve/checkRetrieveStatus/
 * listMetadata/readMetadata and the REST deployRequest resource. Deploys and retrieves are jobs that answer
 * "in progress" for the org's configured number of polls, then complete (applying the deploy at that moment).
 */
import JSZip from 'jszip';
import { XMLParser } from 'fast-xml-parser';
import { ApiError } from './errors.js';
import { to18 } from './ids.js';
import {
  applyPermissionSet,
  ParseError,
  parsePermissionSetXml,
  permissionSetBody,
  readPermissionSet,
  validatePermissionSet,
  type PsDoc,
} from './permsets.js';
import type { OrgState, Rec, ServerContext } from './state.js';
import { applyProfile, parseProfileXml, profileBody, profileFullName, type ProfileDoc } from './profiles.js';
import {
  applyEca,
  ECA_FILES,
  isEcaType,
  listEca,
  matchEcaFile,
  readEcaXml,
  validateEca,
} from './external-client-apps.js';
import { SchemaError, validateAgainstSchema } from './metadata-schema.js';

type Reply = { status: number; body?: unknown; contentType?: string };
type Value = string | number | boolean | null | undefined | Value[] | { [k: string]: Value };

const XML_TYPE = 'text/xml;charset=UTF-8';
const JSON_TYPE = 'application/json;charset=UTF-8';
const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Renders a value as XML children: arrays repeat the element, null is xsi:nil. */
export function toXml(name: string, v: Value): string {
  if (Array.isArray(v)) return v.map((x) => toXml(name, x)).join('');
  if (v === null) return `<${name} xsi:nil="true"/>`;
  if (v === undefined) return '';
  if (typeof v === 'object')
    return `<${name}>${Object.entries(v)
      .map(([k, x]) => toXml(k, x))
      .join('')}</${name}>`;
  return `<${name}>${esc(String(v))}</${name}>`;
}

export function soapEnvelope(op: string, inner: string): Reply {
  return {
    status: 200,
    body: `${ENVELOPE_OPEN}<${op}Response>${inner}</${op}Response>${ENVELOPE_CLOSE}`,
    contentType: XML_TYPE,
  };
}

export function soapFault(code: string, text: string): Reply {
  return {
    status: 500,
    contentType: XML_TYPE,
    body: `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${esc(text)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
  };
}

type DeployOptions = {
  checkOnly: boolean;
  rollbackOnError: boolean;
  ignoreWarnings: boolean;
  singlePackage: boolean;
  purgeOnDelete: boolean;
  testLevel?: string;
  runTests: string[];
};

type DeployMessage = {
  changed: boolean;
  columnNumber?: number;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  id?: string;
  lineNumber?: number;
  problem?: string;
  problemType?: string;
  success: boolean;
};

type DeployJob = {
  id: string;
  org: OrgState;
  zip: Buffer;
  options: DeployOptions;
  /** the endpoint's API version (SOAP /services/Soap/m/XX.X, REST /services/data/vXX.X) */
  apiVersion: string;
  pollsLeft: number;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceling' | 'Canceled';
  created: string;
  started?: string;
  completed?: string;
  successes: DeployMessage[];
  failures: DeployMessage[];
  total: number;
  errorMessage?: string;
  errorStatusCode?: string;
  validatedDeployRequestId?: string | null;
};

type RetrieveJob = {
  id: string;
  org: OrgState;
  request: Record<string, unknown>;
  pollsLeft: number;
  apiVersion: string;
  result?: Record<string, Value>;
};

const bool = (v: unknown, dflt: boolean): boolean =>
  v === undefined || v === null || v === '' ? dflt : v === true || String(v) === 'true';
const arr = <T>(v: T | T[] | undefined): T[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

export class MetadataApi {
  private readonly deploys = new Map<string, DeployJob>();
  private readonly retrieves = new Map<string, RetrieveJob>();

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
    try {
      switch (op) {
        case 'deploy': {
          const job = this.startDeploy(
            org,
            Buffer.from(String(body.ZipFile ?? ''), 'base64'),
            (body.DeployOptions ?? {}) as Record<string, unknown>,
            apiVersion,
          );
          return soapEnvelope(op, toXml('result', { done: false, id: job.id, state: 'Queued' }));
        }
        case 'checkDeployStatus': {
          const job = this.job(org, String(body.asyncProcessId ?? ''));
          await this.advance(job);
          return soapEnvelope(op, toXml('result', deployResult(job, bool(body.includeDetails, false)) as Value));
        }
        case 'cancelDeploy': {
          const job = this.job(org, String(body.id ?? ''));
          this.cancel(job);
          return soapEnvelope(op, toXml('result', { done: true, id: job.id }));
        }
        case 'deployRecentValidation': {
          const job = this.quickDeploy(org, String(body.validationId ?? ''));
          return soapEnvelope(op, toXml('result', job.id));
        }
        case 'retrieve': {
          const id = this.ctx.ids.next('09S');
          this.retrieves.set(id, {
            id,
            org,
            request: (body.request ?? body.retrieveRequest ?? {}) as Record<string, unknown>,
            pollsLeft: org.config.retrievePolls,
            apiVersion,
          });
          return soapEnvelope(op, toXml('result', { done: false, id, state: 'Queued' }));
        }
        case 'checkRetrieveStatus': {
          const job = this.retrieves.get(to18(String(body.asyncProcessId ?? '')));
          if (!job || job.org !== org) throw new ApiError('INVALID_ID_FIELD', `Retrieve result has been deleted.`);
          if (job.pollsLeft > 0) {
            job.pollsLeft -= 1;
            return soapEnvelope(op, toXml('result', { done: false, id: job.id, status: 'InProgress', success: false }));
          }
          job.result ??= await retrieveResult(org, job);
          return soapEnvelope(op, toXml('result', job.result));
        }
        case 'listMetadata':
          return soapEnvelope(
            op,
            arr(body.queries as Array<Record<string, unknown>>)
              .flatMap((q) => listMetadata(org, String(q.type ?? '')))
              .map((r) => toXml('result', r))
              .join(''),
          );
        case 'readMetadata': {
          const type = String(body.type ?? '');
          const names = arr(body.fullNames as string[]).map(String);
          const records = names.map((n) => readMetadata(org, type, n, apiVersion));
          return soapEnvelope(op, `<result>${records.join('')}</result>`);
        }
        default:
          return soapFault(
            'INVALID_OPERATION',
            `INVALID_OPERATION: the org emulator does not implement ${op || 'this operation'}`,
          );
      }
    } catch (e) {
      if (e instanceof ApiError) return soapFault(e.errorCode, `${e.errorCode}: ${e.message}`);
      throw e;
    }
  }

  /** REST /metadata/deployRequest[/id]. */
  public async rest(
    org: OrgState,
    method: string,
    id: string | undefined,
    raw: Buffer,
    contentType: string,
    _url: URL,
    version: string,
  ): Promise<Reply> {
    if (!id && method === 'POST') {
      if (/^application\/json/i.test(contentType)) {
        const b = JSON.parse(raw.toString('utf8') || '{}') as { validatedDeployRequestId?: string };
        if (!b.validatedDeployRequestId) throw new ApiError('INVALID_INPUT', 'validatedDeployRequestId is required');
        const job = this.quickDeploy(org, b.validatedDeployRequestId);
        return { status: 201, contentType: JSON_TYPE, body: restBody(job, false) };
      }
      const parts = parseMultipart(raw, contentType);
      const file = parts.find((p) => p.name === 'file');
      if (!file) throw new ApiError('INVALID_INPUT', 'The request must include a zip file part named file');
      const entity = parts.find((p) => p.name === 'entity_content');
      const opts = entity
        ? ((JSON.parse(entity.data.toString('utf8')) as { deployOptions?: Record<string, unknown> }).deployOptions ??
          {})
        : {};
      const job = this.startDeploy(org, file.data, opts, version);
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

  // ---- deploy jobs ------------------------------------------------------------------------------------

  private startDeploy(
    org: OrgState,
    zip: Buffer,
    raw: Record<string, unknown>,
    apiVersion: string,
    validatedDeployRequestId: string | null = null,
  ): DeployJob {
    const options: DeployOptions = {
      checkOnly: bool(raw.checkOnly, false),
      rollbackOnError: bool(raw.rollbackOnError, true),
      ignoreWarnings: bool(raw.ignoreWarnings, false),
      singlePackage: bool(raw.singlePackage, false),
      purgeOnDelete: bool(raw.purgeOnDelete, false),
      testLevel: raw.testLevel ? String(raw.testLevel) : undefined,
      runTests: arr(raw.runTests as string[]).map(String),
    };
    const job: DeployJob = {
      id: this.ctx.ids.next('0Af'),
      org,
      zip,
      options,
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

  private async advance(job: DeployJob): Promise<void> {
    if (job.status !== 'Pending' && job.status !== 'InProgress') return;
    if (job.pollsLeft > 0) {
      job.pollsLeft -= 1;
      job.status = 'InProgress';
      job.started ??= new Date().toISOString();
      return;
    }
    job.started ??= new Date().toISOString();
    await runDeploy(job);
    job.completed = new Date().toISOString();
  }
}

// ---- deploy processing ----------------------------------------------------------------------------------

type Component = { type: string; fullName: string; fileName: string; xml?: string };

/** Folders and suffixes (metadata format) of the permission types whose files are parsed against the schema. */
const SCHEMA_FILES: ReadonlyArray<{ folder: string; suffix: string; type: string }> = [
  { folder: 'permissionsets', suffix: 'permissionset', type: 'PermissionSet' },
  { folder: 'profiles', suffix: 'profile', type: 'Profile' },
  { folder: 'mutingpermissionsets', suffix: 'mutingpermissionset', type: 'MutingPermissionSet' },
  { folder: 'permissionsetgroups', suffix: 'permissionsetgroup', type: 'PermissionSetGroup' },
];

function matchSchemaFile(rel: string): { type: string; fullName: string } | undefined {
  for (const f of SCHEMA_FILES) {
    const m = new RegExp(`^${f.folder}/([^/]+)\\.${f.suffix}$`).exec(rel);
    if (m) return { type: f.type, fullName: decodeURIComponent(m[1]) };
  }
  return undefined;
}

async function runDeploy(job: DeployJob): Promise<void> {
  const now = new Date().toISOString();
  const msg = (c: Component, extra: Partial<DeployMessage>): DeployMessage => ({
    changed: false,
    componentType: c.type,
    created: false,
    createdDate: now,
    deleted: false,
    fileName: c.fileName,
    fullName: c.fullName,
    success: true,
    ...extra,
  });
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(job.zip);
  } catch {
    job.status = 'Failed';
    job.errorStatusCode = 'UNKNOWN_EXCEPTION';
    job.errorMessage = 'The zip file is not valid';
    return;
  }
  const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
  const manifest = names
    .filter((n) => /(^|\/)package\.xml$/.test(n))
    .sort((a, b) => a.split('/').length - b.split('/').length)[0];
  if (!manifest) {
    job.status = 'Failed';
    job.errorStatusCode = 'UNKNOWN_EXCEPTION';
    job.errorMessage = 'No package.xml found';
    return;
  }
  const base = manifest.slice(0, -'package.xml'.length);
  const pkg = new XMLParser({
    removeNSPrefix: true,
    isArray: (n) => n === 'types' || n === 'members',
    parseTagValue: false,
  }).parse(await zip.files[manifest].async('string')) as {
    Package?: { types?: Array<{ name: string; members?: string[] }>; version?: string };
  };
  // the metadata's shape is the manifest's <version> (SDR writes sourceApiVersion there); else the endpoint's
  const version = pkg.Package?.version ? String(pkg.Package.version) : job.apiVersion;
  const components: Component[] = [];
  const unsupported: Component[] = [];
  for (const n of names) {
    if (!n.startsWith(base)) continue;
    const rel = n.slice(base.length);
    const file = matchSchemaFile(rel) ?? matchEcaFile(rel);
    if (file) components.push({ ...file, fileName: rel, xml: await zip.files[n].async('string') });
  }
  const org = job.org;
  const results: Array<{ c: Component; apply?: () => DeployMessage; problem?: string }> = [];
  // every file is parsed against the Metadata API schema at that version first, whatever its type
  const parsed: Component[] = [];
  for (const c of components) {
    try {
      validateAgainstSchema(c.xml!, c.type, version);
      parsed.push(c);
    } catch (e) {
      if (!(e instanceof SchemaError)) throw e;
      results.push({ c, problem: e.message });
    }
  }
  for (const t of pkg.Package?.types ?? []) {
    if (t.name === 'PermissionSet' || t.name === 'Profile' || isEcaType(t.name)) continue;
    for (const member of t.members ?? []) {
      // a file that failed the schema is reported once, with that problem
      if (!results.some((r) => r.c.type === t.name && r.c.fullName === String(member)))
        unsupported.push({ type: t.name, fullName: String(member), fileName: '' });
    }
  }
  const packageMsg = msg({ type: '', fullName: 'package.xml', fileName: 'package.xml' }, {});
  for (const c of parsed.filter((x) => x.type === 'PermissionSet' || x.type === 'Profile' || isEcaType(x.type))) {
    if (isEcaType(c.type)) {
      const type = c.type;
      const problem = validateEca(org, type, c.fullName, c.xml!, components);
      results.push(
        problem
          ? { c, problem }
          : {
              c,
              apply: () => msg(c, job.options.checkOnly ? {} : applyEca(org, type, c.fullName, c.xml!, components)),
            },
      );
      continue;
    }
    if (c.type === 'PermissionSet') {
      let doc: PsDoc;
      try {
        doc = parsePermissionSetXml(c.xml!, c.fullName);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        results.push({ c, problem: e.message });
        continue;
      }
      const problems = validatePermissionSet(org, doc);
      if (problems.length) results.push({ c, problem: problems[0] });
      else {
        results.push({
          c,
          apply: () => {
            const existed = !!org.permissionSetByName(doc.fullName);
            const { rec } = job.options.checkOnly
              ? { rec: org.permissionSetByName(doc.fullName) }
              : applyPermissionSet(org, doc);
            return msg(c, { created: !existed, changed: existed, id: rec?.Id });
          },
        });
      }
    } else {
      const profile = org.find('Profile', (p) => profileFullName(p) === c.fullName || p.Name === c.fullName);
      if (!profile) {
        results.push({
          c,
          problem: `Unknown profile: ${c.fullName}. Creating profiles is not supported by the org emulator`,
        });
        continue;
      }
      let doc: ProfileDoc;
      try {
        doc = parseProfileXml(c.xml!);
      } catch (e) {
        results.push({ c, problem: (e as Error).message });
        continue;
      }
      const problems = validatePermissionSet(org, {
        fullName: c.fullName,
        label: c.fullName,
        sections: {
          userPermissions: doc.userPermissions.map((u) => ({ name: u.name, enabled: String(u.enabled) })),
          objectPermissions: doc.objectPermissions,
          fieldPermissions: doc.fieldPermissions,
        },
      });
      if (problems.length) results.push({ c, problem: problems[0] });
      else {
        results.push({
          c,
          apply: () => {
            if (!job.options.checkOnly) applyProfile(org, profile, doc, false);
            return msg(c, { changed: true, id: profile.Id });
          },
        });
      }
    }
  }
  for (const c of unsupported) results.push({ c, problem: `The org emulator does not support deploying ${c.type}` });
  job.total = results.length;
  const failed = results.filter((r) => r.problem);
  if (failed.length && job.options.rollbackOnError) {
    job.status = 'Failed';
    job.failures = failed.map((r) =>
      msg(r.c, { success: false, problem: r.problem, problemType: 'Error', lineNumber: 0, columnNumber: 0 }),
    );
    job.successes = [packageMsg];
    return;
  }
  job.successes = [packageMsg, ...results.filter((r) => r.apply).map((r) => r.apply!())];
  job.failures = failed.map((r) =>
    msg(r.c, { success: false, problem: r.problem, problemType: 'Error', lineNumber: 0, columnNumber: 0 }),
  );
  job.status = failed.length ? 'SucceededPartial' : 'Succeeded';
  org.recountLicenses();
  if (!job.options.checkOnly && org.orgType === 'scratch') trackSourceMembers(org, job.successes.slice(1));
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

function deployResult(job: DeployJob, includeDetails: boolean): Record<string, unknown> {
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

function restBody(job: DeployJob, includeDetails: boolean): Record<string, unknown> {
  const result = deployResult(job, includeDetails);
  if (!includeDetails) delete result.details;
  return {
    id: job.id,
    validatedDeployRequestId: job.validatedDeployRequestId ?? null,
    deployResult: result,
    deployOptions: { ...job.options, runTests: job.options.runTests },
  };
}

// ---- list / read / retrieve ----------------------------------------------------------------------------------

function fileProps(org: OrgState, type: string, fullName: string, fileName: string, id: string): Record<string, Value> {
  const admin = org.get(org.adminUserId);
  const name = admin ? [admin.FirstName, admin.LastName].filter(Boolean).join(' ') : 'Admin';
  const date = new Date().toISOString();
  return {
    createdById: org.adminUserId,
    createdByName: name,
    createdDate: date,
    fileName,
    fullName,
    id,
    lastModifiedById: org.adminUserId,
    lastModifiedByName: name,
    lastModifiedDate: date,
    manageableState: 'unmanaged',
    type,
  };
}

function componentsOf(org: OrgState, type: string): Array<{ fullName: string; rec: Rec }> {
  if (type === 'PermissionSet')
    return org.filter('PermissionSet', (p) => !p.IsOwnedByProfile).map((rec) => ({ fullName: String(rec.Name), rec }));
  if (type === 'Profile') return org.all('Profile').map((rec) => ({ fullName: profileFullName(rec), rec }));
  return [];
}

function listMetadata(org: OrgState, type: string): Array<Record<string, Value>> {
  if (isEcaType(type))
    return listEca(org, type).map((r) =>
      fileProps(org, type, r.fullName, `${ECA_FILES[type].folder}/${r.fullName}.${ECA_FILES[type].suffix}`, r.id),
    );
  const folder = type === 'PermissionSet' ? 'permissionsets' : 'profiles';
  const ext = type === 'PermissionSet' ? 'permissionset' : 'profile';
  return componentsOf(org, type).map((c) =>
    fileProps(org, type, c.fullName, `${folder}/${c.fullName}.${ext}`, c.rec.Id),
  );
}

function readMetadata(org: OrgState, type: string, fullName: string, version: string): string {
  if (isEcaType(type)) return readEcaXml(org, type, fullName) ?? '<records xsi:nil="true"/>';
  const c = componentsOf(org, type).find((x) => x.fullName === fullName);
  if (!c) return '<records xsi:nil="true"/>';
  if (type === 'PermissionSet')
    return `<records xsi:type="PermissionSet">${permissionSetBody(readPermissionSet(org, c.rec), true, version)}</records>`;
  return `<records xsi:type="Profile">${profileBody(org, c.rec, true, version)}</records>`;
}

async function retrieveResult(org: OrgState, job: RetrieveJob): Promise<Record<string, Value>> {
  const zip = new JSZip();
  const unpackaged = (job.request.unpackaged ?? {}) as {
    types?: Array<{ name?: string; members?: string[] }>;
    version?: string;
  };
  const version = String(unpackaged.version ?? job.request.apiVersion ?? job.apiVersion);
  const files: Array<Record<string, Value>> = [];
  const messages: Array<Record<string, Value>> = [];
  const pkgTypes: string[] = [];
  for (const t of arr(unpackaged.types)) {
    const type = String(t.name ?? '');
    const members = arr(t.members).map(String);
    const all = componentsOf(org, type);
    const chosen = members.includes('*')
      ? all
      : members.map((m) => all.find((c) => c.fullName === m) ?? { fullName: m, rec: undefined as unknown as Rec });
    const found: string[] = [];
    for (const c of chosen) {
      if (!c.rec) {
        messages.push({
          fileName: `unpackaged/${type === 'Profile' ? 'profiles' : 'permissionsets'}/${c.fullName}`,
          problem: `Entity of type '${type}' named '${c.fullName}' cannot be found`,
        });
        continue;
      }
      found.push(c.fullName);
      const folder = type === 'PermissionSet' ? 'permissionsets' : 'profiles';
      const ext = type === 'PermissionSet' ? 'permissionset' : 'profile';
      const path = `unpackaged/${folder}/${c.fullName}.${ext}`;
      const body =
        type === 'PermissionSet'
          ? permissionSetBody(readPermissionSet(org, c.rec), false, version)
          : profileBody(org, c.rec, false, version);
      zip.file(
        path,
        `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="http://soap.sforce.com/2006/04/metadata">${body}</${type}>\n`,
      );
      files.push(fileProps(org, type, c.fullName, path, c.rec.Id));
    }
    if (type !== 'PermissionSet' && type !== 'Profile') {
      for (const m of members)
        messages.push({
          fileName: `unpackaged/${m}`,
          problem: `Entity of type '${type}' named '${m}' cannot be found`,
        });
    }
    if (found.length)
      pkgTypes.push(`<types>${found.map((f) => `<members>${esc(f)}</members>`).join('')}<name>${type}</name></types>`);
  }
  zip.file(
    'unpackaged/package.xml',
    `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">${pkgTypes.join('')}<version>${version}</version></Package>\n`,
  );
  files.push({ ...fileProps(org, 'Package', 'unpackaged/package.xml', 'unpackaged/package.xml', ''), id: '' });
  const zipFile = (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64');
  return { done: true, fileProperties: files, id: job.id, messages, status: 'Succeeded', success: true, zipFile };
}

// ---- multipart ------------------------------------------------------------------------------------------------

function parseMultipart(raw: Buffer, contentType: string): Array<{ name: string; data: Buffer }> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) throw new ApiError('INVALID_INPUT', 'multipart boundary missing');
  const delim = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: Array<{ name: string; data: Buffer }> = [];
  let pos = raw.indexOf(delim);
  while (pos !== -1) {
    const start = pos + delim.length;
    if (raw.slice(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delim, start);
    if (next === -1) break;
    const part = raw.slice(start + 2, next - 2); // skip CRLF after delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.slice(0, headerEnd).toString('utf8');
    const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
    parts.push({ name, data: part.slice(headerEnd + 4) });
    pos = next;
  }
  return parts;
}
