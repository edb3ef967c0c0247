/**
 * The API version the test suites run the plugin at: SF_IU_TEST_API_VERSION (scripts/at-api-versions.ts runs each
 * suite at the oldest supported version and at the newest), else the newest. It reaches sf and @salesforce/core as
 * the org-api-version config (SF_ORG_API_VERSION) and generated projects as their sourceApiVersion.
 */
import { compareApiVersions, CONNECT_OLDEST_API_VERSION, NEWEST_API_VERSION } from '../../src/org/api-version.js';

export const TEST_API_VERSION = process.env.SF_IU_TEST_API_VERSION ?? NEWEST_API_VERSION;

/** `connect` needs a newer version than the rest: its suites run at the test version or its oldest, whichever is newer. */
export const CONNECT_TEST_API_VERSION =
  compareApiVersions(TEST_API_VERSION, CONNECT_OLDEST_API_VERSION) >= 0 ? TEST_API_VERSION : CONNECT_OLDEST_API_VERSION;

/** Whether the version the suite runs at has what appeared in `since` (e.g. View All Fields, 63.0). */
export const testVersionHas = (since: string): boolean => compareApiVersions(TEST_API_VERSION, since) >= 0;

/** The environment that makes sf and @salesforce/core connect at the test version. */
export const TEST_API_VERSION_ENV = { SF_ORG_API_VERSION: TEST_API_VERSION } as const;
