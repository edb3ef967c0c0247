/**
 * A real Connection whose HTTP goes through @salesforce/core, jsforce and undici to nock, so adapter tests see
 * Salesforce's exact wire answers (status, content type, body) the way a real org gives them.
 */
import nock from 'nock';
import type { Connection } from '@salesforce/core';
import { MockTestOrgData, type TestContext } from '@salesforce/core/testSetup';
import { fieldText } from '../../../src/org-api/field-text.js';

export const INSTANCE_URL = 'https://acme.my.salesforce.com';
export const API_VERSION = '62.0';
/** The REST base path at the test's API version. */
export const DATA = `/services/data/v${API_VERSION}`;

/** Content type Salesforce gives REST answers; jsforce parses a body as JSON only under it. */
export const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8' };

let shared: Connection | undefined;

/**
 * Call in beforeEach with the describe's TestContext. TestContext answers every Connection request itself
 * (fakeConnectionRequest): its Connection stubs are removed so requests reach the network layer, where nock answers.
 * One Connection serves every adapter test (it holds only the token and URLs; making one costs ~100 ms).
 */
export async function nockConnection($$: TestContext): Promise<Connection> {
  if (!shared) {
    const testOrg = new MockTestOrgData();
    testOrg.instanceUrl = INSTANCE_URL;
    await $$.stubAuths(testOrg);
    shared = await testOrg.getConnection();
    shared.setApiVersion(API_VERSION);
  }
  $$.SANDBOXES.CONNECTION.restore();
  return shared;
}

/** The org: every request the test expects is declared on it; anything else fails (no real network). */
export const org = (): nock.Scope => nock(INSTANCE_URL);

/** Mocha hooks for a describe: no real network, and no answer left unused by the adapter. */
export function useNock(): void {
  before(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    // an answer the adapter never asked for means the test assumed a request that didn't happen
    if (pending.length) throw new Error(`requests expected but not made: ${pending.join(', ')}`);
  });
  after(() => nock.enableNetConnect());
}

/** Salesforce's REST error envelope: an array with one element per error (wire-formats.md §2). */
export const restError = (
  errorCode: string,
  message: string,
  fields: string[] = [],
): Array<Record<string, unknown>> => [{ message, errorCode, fields }];

/** A query answer as Salesforce gives it (wire-formats.md §2.2), records with their `attributes`. */
export function queryAnswer(
  type: string,
  records: Array<Record<string, unknown>>,
  page: { done?: boolean; nextRecordsUrl?: string; totalSize?: number } = {},
): Record<string, unknown> {
  return {
    totalSize: page.totalSize ?? records.length,
    done: page.done ?? true,
    ...(page.nextRecordsUrl ? { nextRecordsUrl: page.nextRecordsUrl } : {}),
    records: records.map((r) => ({
      attributes: { type, url: `${DATA}/sobjects/${type}/${fieldText(r.Id ?? '')}` },
      ...r,
    })),
  };
}
