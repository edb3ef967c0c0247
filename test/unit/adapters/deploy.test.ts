/**
 * src/metadata/deploy.ts against the Metadata API's SOAP answers (deploy, checkDeployStatus, a fault), through
 * source-deploy-retrieve and jsforce as the plugin uses them. Bodies from wire-formats.md §3.2, §3.3 and §4
 * (validated against the real clients), which follow the Metadata API's DeployResult and AsyncResult types.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import { deployPermissionSets, DeployFailure } from '../../../src/metadata/deploy.js';
import { errorCode, mapDeployError } from '../../../src/org-api/errors.js';
import { API_VERSION, nockConnection, org, useNock } from './nock-org.js';

const SOAP = `/services/Soap/m/${API_VERSION}`;
const XML_HEADERS = { 'content-type': 'text/xml;charset=UTF-8' };
const DEPLOY_ID = '0Af5g00000AbCdECAV';

// wire-formats.md §4: prefixed Envelope and Body, or jsforce reads an empty result
const envelope = (body: string): string =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
  `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

// wire-formats.md §3.2
const DEPLOY_ACCEPTED = envelope(
  `<deployResponse><result><done>false</done><id>${DEPLOY_ID}</id><state>Queued</state></result></deployResponse>`,
);

const PACKAGE_XML_SUCCESS =
  '<componentSuccesses><changed>false</changed><componentType></componentType><created>false</created><createdDate>2026-11-27T10:00:00.000Z</createdDate>' +
  '<deleted>false</deleted><fileName>package.xml</fileName><fullName>package.xml</fullName><success>true</success></componentSuccesses>';
const RUN_TEST_RESULT =
  '<runTestResult><numFailures>0</numFailures><numTestsRun>0</numTestsRun><totalTime>0.0</totalTime></runTestResult>';

/** wire-formats.md §3.3: a finished checkDeployStatus with the given details. */
function deployStatus(
  status: 'Succeeded' | 'Failed',
  details: string,
  counts: { deployed: number; errors: number },
): string {
  return envelope(
    '<checkDeployStatusResponse><result><checkOnly>false</checkOnly><completedDate>2026-11-27T10:00:02.000Z</completedDate>' +
      '<createdBy>0055g00000AdMiNAAV</createdBy><createdByName>Admin</createdByName><createdDate>2026-11-27T10:00:00.000Z</createdDate>' +
      `<details>${details}${RUN_TEST_RESULT}</details><done>true</done><id>${DEPLOY_ID}</id><ignoreWarnings>false</ignoreWarnings>` +
      `<lastModifiedDate>2026-11-27T10:00:02.000Z</lastModifiedDate><numberComponentErrors>${counts.errors}</numberComponentErrors>` +
      `<numberComponentsDeployed>${counts.deployed}</numberComponentsDeployed><numberComponentsTotal>1</numberComponentsTotal>` +
      '<numberTestErrors>0</numberTestErrors><numberTestsCompleted>0</numberTestsCompleted><numberTestsTotal>0</numberTestsTotal>' +
      '<rollbackOnError>true</rollbackOnError><runTestsEnabled>false</runTestsEnabled><startDate>2026-11-27T10:00:01.000Z</startDate>' +
      `<status>${status}</status><success>${String(status === 'Succeeded')}</success></result></checkDeployStatusResponse>`,
  );
}

const isOperation =
  (name: string) =>
  (body: string): boolean =>
    body.includes(`<${name}>`);

describe('adapters: deploy (Metadata API SOAP deploy and checkDeployStatus)', () => {
  const $$ = new TestContext();
  let conn: Connection;
  let dir: string;
  let file: string;
  useNock();
  beforeEach(async () => {
    conn = await nockConnection($$);
    dir = await mkdtemp(join(tmpdir(), 'adapter-deploy-'));
    await mkdir(join(dir, 'permissionsets'));
    file = join(dir, 'permissionsets', 'Integration_marketo.permissionset-meta.xml');
    await writeFile(
      file,
      '<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">\n' +
        '    <label>Integration marketo</label>\n    <license>SalesforceAPIIntegrationPsl</license>\n</PermissionSet>\n',
    );
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('deploys and reports the created set with its org Id', async () => {
    org()
      .post(SOAP, isOperation('deploy'))
      .reply(200, DEPLOY_ACCEPTED, XML_HEADERS)
      .post(
        SOAP,
        (body: string) =>
          isOperation('checkDeployStatus')(body) && body.includes(`<asyncProcessId>${DEPLOY_ID}</asyncProcessId>`),
      )
      .reply(
        200,
        deployStatus(
          'Succeeded',
          PACKAGE_XML_SUCCESS +
            '<componentSuccesses><changed>false</changed><componentType>PermissionSet</componentType><created>true</created>' +
            '<createdDate>2026-11-27T10:00:01.000Z</createdDate><deleted>false</deleted><fileName>permissionsets/Integration_marketo.permissionset</fileName>' +
            '<fullName>Integration_marketo</fullName><id>0PS5g000000AbCdGAK</id><success>true</success></componentSuccesses>',
          { deployed: 1, errors: 0 },
        ),
        XML_HEADERS,
      );
    const outcome = await deployPermissionSets(conn, [file], { pollFrequencyMs: 10 });
    expect(outcome).to.include({ id: DEPLOY_ID, status: 'Succeeded', success: true, changed: true, checkOnly: false });
    expect(outcome.components).to.deep.equal([
      {
        fullName: 'Integration_marketo',
        type: 'PermissionSet',
        state: 'Created',
        filePath: file,
        id: '0PS5g000000AbCdGAK',
        problem: undefined,
      },
    ]);
  });

  it('throws DeployFailure naming the component problem; mapped, it suggests the unknown-field fix', async () => {
    org()
      .post(SOAP, isOperation('deploy'))
      .reply(200, DEPLOY_ACCEPTED, XML_HEADERS)
      .post(SOAP, isOperation('checkDeployStatus'))
      .reply(
        200,
        deployStatus(
          'Failed',
          '<componentFailures><changed>false</changed><columnNumber>0</columnNumber><componentType>PermissionSet</componentType><created>false</created>' +
            '<createdDate>2026-11-27T10:00:01.000Z</createdDate><deleted>false</deleted><fileName>permissionsets/Integration_marketo.permissionset</fileName>' +
            '<fullName>Integration_marketo</fullName><lineNumber>0</lineNumber><problem>In field: field - no CustomField named Account.Nope__c found</problem>' +
            '<problemType>Error</problemType><success>false</success></componentFailures>' +
            PACKAGE_XML_SUCCESS,
          { deployed: 0, errors: 1 },
        ),
        XML_HEADERS,
      );
    const e = await deployPermissionSets(conn, [file], { pollFrequencyMs: 10 }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(e).to.be.instanceOf(DeployFailure);
    const failure = e as DeployFailure;
    expect(failure.message).to.equal(
      'PermissionSet Integration_marketo: In field: field - no CustomField named Account.Nope__c found',
    );
    expect(failure.outcome).to.include({ id: DEPLOY_ID, status: 'Failed', success: false });
    const mapped = mapDeployError(failure, [file]) as Error & { actions?: string[] };
    expect(mapped.name).to.equal('DeployFailedError');
    expect(mapped.actions?.join('\n')).to.match(/field/i);
  });

  it('lets a SOAP fault through with its code (HTTP 500, sf:INSUFFICIENT_ACCESS), not sent again', async () => {
    // wire-formats.md §4: the fault's shape; jsforce names the error "sf:CODE". The text: docs/salesforce-behaviour.md
    // "Metadata API without Modify All Data". (INVALID_SESSION_ID, §4's example, makes jsforce refresh the session
    // first when the auth has a refresh token, as this test org's has.)
    org()
      .post(SOAP, isOperation('deploy'))
      .once()
      .reply(
        500,
        '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="http://soap.sforce.com/2006/04/metadata">' +
          '<soapenv:Body><soapenv:Fault><faultcode>sf:INSUFFICIENT_ACCESS</faultcode><faultstring>INSUFFICIENT_ACCESS: use of the Metadata API requires a user with the ModifyAllData permission</faultstring>' +
          '</soapenv:Fault></soapenv:Body></soapenv:Envelope>',
        XML_HEADERS,
      );
    const e = await deployPermissionSets(conn, [file], { pollFrequencyMs: 10 }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(e).not.to.be.instanceOf(DeployFailure);
    expect(errorCode(e)).to.equal('INSUFFICIENT_ACCESS');
    expect(e?.message).to.contain('use of the Metadata API requires a user with the ModifyAllData permission');
    // not a component failure: passed through as it came
    expect(mapDeployError(e, [file])).to.equal(e);
  });
});
