/**
 * A local Salesforce org emulator for tests: REST (query, sObjects, collections, password), OAuth userinfo,
 * the SOAP Metadata API and REST deployRequest, for one or more orgs on one loopback server.
 *
 *   const emu = await startEmulator({ seed: { type: 'production' } });
 *   // emu.url, emu.org().accessToken, emu.org().adminUsername ...
 *   await emu.stop();
 */
import { myDomainUrl } from './refresh.js';
import { EmulatorServer, type RequestLogEntry } from './server.js';
import type { FaultInjector } from './faults.js';
import type { EmulatorSeed } from './seed.js';
import { runQuery, type FormattedRecord } from './soql.js';
import type { OrgConfig } from './org-config.js';
import type { OrgState, Rec } from './state.js';

export type { EmulatorSeed, OrgType, PermissionSetGroupSeed, PermissionSetSeed, UserSeed } from './seed.js';
export type { ApiRequestSeed, EventLogFileSeed } from './event-log-files.js';
export type { FaultSpec, FaultResponse, Fault } from './faults.js';
export type { RequestLogEntry } from './server.js';
export type { Rec } from './state.js';
export { loadSeed } from './seed-file.js';
// what tests may inspect in an org's state beyond its records
export { storedPassword } from './http/password-resource.js';
export { myDomainUrl } from './refresh.js';
export { findEca } from './external-client-apps.js';
export { INTEGRATION_PSL_PERMISSIONS } from './user-permissions.js';
export {
  attemptLogin,
  blockDeactivation,
  clearDeactivationBlocks,
  DEACTIVATION_TEXTS,
  FROZEN_STATUS,
  type Blocker,
  type DeactivationBlock,
  type LoginAttempt,
} from './retire-rules.js';

/** One org of the emulator: its credentials and direct access to its data (no HTTP). */
export class EmulatedOrg {
  public constructor(
    public readonly state: OrgState,
    private readonly server: EmulatorServer,
  ) {}

  public get id(): string {
    return this.state.id;
  }
  public get accessToken(): string {
    return this.state.accessToken;
  }
  public get adminUsername(): string {
    return this.state.adminUsername;
  }
  public get adminUserId(): string {
    return this.state.adminUserId;
  }
  public get instanceUrl(): string {
    return this.server.url;
  }
  /** the org's My Domain URL, as the identity response's urls.custom_domain gives it (the emulator itself serves on 127.0.0.1) */
  public get myDomainUrl(): string {
    return myDomainUrl(this.state);
  }
  /** mutable: queryPageSize, deployPolls, retrievePolls, maxApiVersion */
  public get config(): OrgConfig {
    return this.state.config;
  }

  /** Runs SOQL in-process; returns the records as the REST API would (all pages). */
  public query(soql: string, tooling = false): FormattedRecord[] {
    return runQuery(this.state, soql, { tooling, apiVersion: this.state.config.maxApiVersion }).records;
  }

  public count(soql: string): number {
    return runQuery(this.state, soql, { apiVersion: this.state.config.maxApiVersion }).totalSize;
  }

  /** The stored rows of an object (values normalised: datetimes as epoch ms). */
  public records(objectName: string): Rec[] {
    return this.state.all(objectName);
  }

  public record(id: string): Rec | undefined {
    return this.state.get(id);
  }

  /** Inserts rows with no business rules (fixtures, e.g. many LoginHistory rows). */
  public insert(objectName: string, values: Record<string, unknown>): Rec {
    const rec = this.state.insert(objectName, values);
    if (objectName.toLowerCase() === 'user') this.state.registerUsername(rec);
    this.state.recountLicenses();
    return rec;
  }

  public insertMany(objectName: string, rows: Array<Record<string, unknown>>): void {
    this.state.insertMany(objectName, rows);
    this.state.recountLicenses();
  }

  public user(username: string): Rec | undefined {
    return this.state.userByUsername(username);
  }

  public permissionSet(name: string): Rec | undefined {
    return this.state.permissionSetByName(name);
  }

  public profile(name: string): Rec | undefined {
    return this.state.profileByName(name);
  }
}

export type Emulator = {
  /** http://127.0.0.1:PORT */
  url: string;
  orgs: EmulatedOrg[];
  org(index?: number): EmulatedOrg;
  addOrg(seed?: EmulatorSeed): EmulatedOrg;
  /** a sandbox named `name` refreshed from `source` now: its records copied, usernames `.<name>`, emails `.invalid` */
  refreshSandbox(source: EmulatedOrg, name: string): EmulatedOrg;
  faults: FaultInjector;
  requests: RequestLogEntry[];
  clearRequests(): void;
  stop(): Promise<void>;
};

export async function startEmulator(
  options: { port?: number; seed?: EmulatorSeed | EmulatorSeed[] } = {},
): Promise<Emulator> {
  const server = new EmulatorServer();
  const seeds = Array.isArray(options.seed) ? options.seed : [options.seed ?? {}];
  const orgs: EmulatedOrg[] = [];
  const addOrg = (seed?: EmulatorSeed): EmulatedOrg => {
    const org = new EmulatedOrg(server.addOrg(seed), server);
    orgs.push(org);
    return org;
  };
  for (const s of seeds.length ? seeds : [{}]) addOrg(s);
  const url = await server.listen(options.port ?? 0);
  return {
    url,
    orgs,
    org: (index = 0) => {
      const o = orgs[index];
      if (!o) throw new Error(`no org at index ${index}`);
      return o;
    },
    addOrg,
    refreshSandbox: (source, name) => {
      const org = new EmulatedOrg(server.refreshSandbox(source.state, name), server);
      orgs.push(org);
      return org;
    },
    faults: server.faults,
    requests: server.requests,
    clearRequests: () => {
      server.requests.length = 0;
    },
    stop: () => server.close(),
  };
}
