import type { Connection } from '@salesforce/core';
import { MockTestOrgData, type TestContext } from '@salesforce/core/testSetup';
import { FakeOrg } from '../fake-org.js';

/**
 * Points a TestContext's connection at a new FakeOrg. Create the TestContext at describe level
 * (`const $$ = new TestContext()`, which registers its own hooks) and call this in beforeEach.
 */
export async function fakeOrgConnection(
  $$: TestContext,
): Promise<{ org: FakeOrg; conn: Connection; testOrg: MockTestOrgData }> {
  const testOrg = new MockTestOrgData();
  await $$.stubAuths(testOrg);
  const org = new FakeOrg(testOrg.username);
  $$.fakeConnectionRequest = (request) => org.handle(request);
  const conn = await testOrg.getConnection();
  return { org, conn, testOrg };
}
