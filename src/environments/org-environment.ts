import type { Connection } from '@salesforce/core';
import { connectionLostError, isConnectionError } from '../org-api/errors.js';

/** What kind of org a command runs against, and a sandbox's name. */
export type OrgEnvironment = {
  kind: 'production' | 'sandbox' | 'scratch';
  orgId: string;
  /** sandbox only: from the My Domain host (MyDomainName--SandboxName.sandbox.my.salesforce.com) */
  sandboxName?: string;
  /** where the sandbox name came from: the connection's instance URL or the identity response's urls.custom_domain */
  sandboxNameSource?: 'instance-url' | 'custom-domain';
  /** the My Domain host read, for messages */
  host?: string;
};

type OrganizationRow = { Id: string; IsSandbox: boolean; TrialExpirationDate: string | null };

// Salesforce Help "Move a My Domain Name": MyDomainName--SandboxName.sandbox.my.salesforce.com. Anchored on
// .sandbox.my.salesforce.com, since `--` also appears in other hosts (package Visualforce domains).
const SANDBOX_HOST = /^[a-z0-9-]+?--([a-z0-9]+)\.sandbox\.my\.salesforce\.com$/i;

/** The sandbox name in a My Domain URL or host, else undefined. */
export function sandboxNameFromHost(urlOrHost: string | undefined): string | undefined {
  if (!urlOrHost) return undefined;
  let host = urlOrHost;
  try {
    host = new URL(urlOrHost.includes('://') ? urlOrHost : `https://${urlOrHost}`).hostname;
  } catch {
    return undefined;
  }
  return SANDBOX_HOST.exec(host)?.[1];
}

/**
 * Reads the org's kind as @salesforce/core does (scratch: IsSandbox and a TrialExpirationDate; sandbox: IsSandbox and
 * none) and, for a sandbox, its name from the My Domain host: first the connection's instance URL, then (when the
 * connection goes through another host) the identity response's urls.custom_domain. No Organization field holds it.
 */
export async function readOrgEnvironment(conn: Connection): Promise<OrgEnvironment> {
  try {
    return await readEnvironment(conn);
  } catch (e) {
    throw isConnectionError(e) ? connectionLostError('preflight', e) : e;
  }
}

async function readEnvironment(conn: Connection): Promise<OrgEnvironment> {
  const { records } = await conn.query<OrganizationRow>('SELECT Id, IsSandbox, TrialExpirationDate FROM Organization');
  const org = records[0];
  const orgId = org?.Id ?? conn.getAuthInfoFields().orgId ?? '';
  if (!org?.IsSandbox) return { kind: 'production', orgId };
  if (org.TrialExpirationDate) return { kind: 'scratch', orgId };
  const fromInstance = sandboxNameFromHost(conn.instanceUrl);
  if (fromInstance)
    return {
      kind: 'sandbox',
      orgId,
      sandboxName: fromInstance,
      sandboxNameSource: 'instance-url',
      host: new URL(conn.instanceUrl).hostname,
    };
  const customDomain = await readCustomDomain(conn);
  const fromDomain = sandboxNameFromHost(customDomain);
  return fromDomain
    ? { kind: 'sandbox', orgId, sandboxName: fromDomain, sandboxNameSource: 'custom-domain', host: customDomain }
    : { kind: 'sandbox', orgId, host: customDomain ?? conn.instanceUrl };
}

async function readCustomDomain(conn: Connection): Promise<string | undefined> {
  try {
    const info = await conn.request<{ urls?: { custom_domain?: string } }>(
      `${conn.instanceUrl}/services/oauth2/userinfo`,
    );
    return info.urls?.custom_domain;
  } catch {
    // an identity response that can't be read leaves the name to --username-suffix
    return undefined;
  }
}
