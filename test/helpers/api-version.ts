/**
 * The API version the test suites run the plugin at: SF_IU_TEST_API_VERSION (scripts/at-api-versions.ts runs each
 * suite at the oldest supported version and at the newest), else the newest. It reaches sf and @salesforce/core as
 * the org-api-version config (SF_ORG_API_VERSION) and generated projects as their sourceApiVersion.
 */
import { Connection } from '@salesforce/core';
import type { TestContext } from '@salesforce/core/testSetup';
import { compareApiVersions, CONNECT_OLDEST_API_VERSION, NEWEST_API_VERSION } from '../../src/org-api/api-version.js';

export const TEST_API_VERSION = process.env.SF_IU_TEST_API_VERSION ?? NEWEST_API_VERSION;

/** `connect` needs a newer version than the rest: its suites run at the test version or its oldest, whichever is newer. */
export const CONNECT_TEST_API_VERSION =
  compareApiVersions(TEST_API_VERSION, CONNECT_OLDEST_API_VERSION) >= 0 ? TEST_API_VERSION : CONNECT_OLDEST_API_VERSION;

/** Whether the version the suite runs at has what appeared in `since` (e.g. View All Fields, 63.0). */
export const testVersionHas = (since: string): boolean => compareApiVersions(TEST_API_VERSION, since) >= 0;

/** The environment that makes sf and @salesforce/core connect at the test version. */
export const TEST_API_VERSION_ENV = { SF_ORG_API_VERSION: TEST_API_VERSION } as const;

/**
 * For suites on @salesforce/core's TestContext, whose fake org serves API 42.0 only: connect at the suite's
 * version (the org-api-version config) to an org that serves the newest, as a real org of today does. Call at the
 * top of a describe, after creating the TestContext.
 */
export function connectAtTestApiVersion($$: TestContext): void {
  let saved: string | undefined;
  before(() => {
    saved = process.env.SF_ORG_API_VERSION;
    process.env.SF_ORG_API_VERSION = TEST_API_VERSION;
  });
  beforeEach(() => {
    $$.SANDBOX.stub(Connection.prototype, 'retrieveMaxApiVersion').resolves(NEWEST_API_VERSION);
  });
  after(() => {
    if (saved === undefined) delete process.env.SF_ORG_API_VERSION;
    else process.env.SF_ORG_API_VERSION = saved;
  });
}
