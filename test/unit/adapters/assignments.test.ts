/**
 * src/org-api/assignments.ts against Salesforce's REST answers: PermissionSetLicenseAssign and PermissionSetAssignment
 * creates (one record: sObject resource; several: sObject Collections), and the PermissionSet lookups.
 */
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import {
  assignPermissionSetLicense,
  assignPermissionSets,
  findPermissionSets,
  getAssignedPermissionSetNames,
  hasLicenseAssignment,
  isLicenseRefusal,
} from '../../../src/org-api/assignments.js';
import { mapAssignError } from '../../../src/org-api/errors.js';
import { DATA, JSON_HEADERS, nockConnection, org, queryAnswer, restError, useNock } from './nock-org.js';

const USER = '0055g00000NeWuSAAV';
const PSL = '0PL5g0000008OaBGAU';

// docs/salesforce-behaviour.md "REST answers": a duplicate PermissionSetLicenseAssign starts "duplicate value found"
const DUPLICATE_PSL = restError(
  'DUPLICATE_VALUE',
  'duplicate value found: <unknown> duplicates value on record with id: <unknown>',
);
// docs/salesforce-behaviour.md "REST answers": what `sf org assign permset` reports for a set the user already holds
const duplicateAssignment = (ps: string): string =>
  `Duplicate PermissionSetAssignment. Assignee: ${USER}; Permission Set: ${ps}`;
// integration-users.md "Users": FIELD_INTEGRITY_EXCEPTION when the license can't carry a permission of the set
const LICENSE_REFUSAL = "The user license doesn't allow the permission: Author Apex";

describe('adapters: assignments (PermissionSetLicenseAssign, PermissionSetAssignment)', () => {
  const $$ = new TestContext();
  let conn: Connection;
  useNock();
  beforeEach(async () => {
    conn = await nockConnection($$);
  });

  it('assigns the permission set license (HTTP 201) and sends assignee and license', async () => {
    org()
      .post(`${DATA}/sobjects/PermissionSetLicenseAssign`, { AssigneeId: USER, PermissionSetLicenseId: PSL })
      .reply(201, { id: '2LA5g0000004CEdGAM', success: true, errors: [] }, JSON_HEADERS);
    expect(await assignPermissionSetLicense(conn, USER, PSL)).to.equal('done');
  });

  it('takes a duplicate license assignment (HTTP 400 DUPLICATE_VALUE) as already done', async () => {
    org().post(`${DATA}/sobjects/PermissionSetLicenseAssign`).reply(400, DUPLICATE_PSL, JSON_HEADERS);
    expect(await assignPermissionSetLicense(conn, USER, PSL)).to.equal('already done');
  });

  it('turns no free permission set license seat (LICENSE_LIMIT_EXCEEDED) into PermissionSetLicenseLimitExceeded', async () => {
    // wire-formats.md §2.3 table (the user license's text; the PSL's own text is UNCONFIRMED, the code is what counts)
    org()
      .post(`${DATA}/sobjects/PermissionSetLicenseAssign`)
      .reply(400, restError('LICENSE_LIMIT_EXCEEDED', 'License Limit Exceeded'), JSON_HEADERS);
    const e = await assignPermissionSetLicense(conn, USER, PSL).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(e?.name).to.equal('LICENSE_LIMIT_EXCEEDED');
    expect(mapAssignError(e).name).to.equal('PermissionSetLicenseLimitExceededError');
  });

  it('reads whether the user holds the license from one query', async () => {
    org()
      .get(`${DATA}/query`)
      .query((q) =>
        String(q.q).includes(
          `FROM PermissionSetLicenseAssign WHERE AssigneeId = '${USER}' AND PermissionSetLicenseId = '${PSL}'`,
        ),
      )
      .reply(200, queryAnswer('PermissionSetLicenseAssign', [{ Id: '2LA5g0000004CEdGAM' }]), JSON_HEADERS);
    expect(await hasLicenseAssignment(conn, USER, PSL)).to.equal(true);
  });

  for (const [known, body] of [
    ['its code', restError('DUPLICATE_VALUE', duplicateAssignment('0PS5g000000AbCdGAK'))],
    // the code beside this text is UNCONFIRMED: the text alone must do
    ['its text alone', [{ message: duplicateAssignment('0PS5g000000AbCdGAK') }]],
  ] as const) {
    it(`assigns one permission set with the sObject resource; a duplicate (known by ${known}) is already done`, async () => {
      // one record goes to the sObject resource (wire-formats.md §2.4, "PermissionSetAssignment.create")
      org()
        .post(`${DATA}/sobjects/PermissionSetAssignment`, { AssigneeId: USER, PermissionSetId: '0PS5g000000AbCdGAK' })
        .reply(400, body, JSON_HEADERS);
      expect(
        await assignPermissionSets(conn, USER, [{ id: '0PS5g000000AbCdGAK', name: 'Integration_marketo' }]),
      ).to.deep.equal([{ name: 'Integration_marketo', outcome: 'already done' }]);
    });
  }

  it('reports a single set the license refuses as that set’s error, recognised as a license refusal', async () => {
    org()
      .post(`${DATA}/sobjects/PermissionSetAssignment`)
      .reply(400, restError('FIELD_INTEGRITY_EXCEPTION', LICENSE_REFUSAL), JSON_HEADERS);
    const [outcome] = await assignPermissionSets(conn, USER, [
      { id: '0PS5g000000AbCdGAK', name: 'Integration_marketo' },
    ]);
    expect(outcome).to.have.property('error');
    const error = (outcome as { error: Error }).error;
    expect(isLicenseRefusal(error)).to.equal(true);
    expect(mapAssignError(error).name).to.equal('LicenseDoesNotAllowError');
  });

  it('assigns several sets in one sObject Collections call (allOrNone false): done, already done and refused each reported', async () => {
    let sent: { allOrNone?: boolean; records?: Array<Record<string, unknown>> } = {};
    // wire-formats.md §2.4: HTTP 200 even with failures, results in request order, errors carry statusCode
    org()
      .post(`${DATA}/composite/sobjects`, (body: typeof sent) => {
        sent = body;
        return true;
      })
      .reply(
        200,
        [
          { id: '0Pa5g00000AAAAAAA1', success: true, errors: [] },
          {
            success: false,
            errors: [{ statusCode: 'DUPLICATE_VALUE', message: duplicateAssignment('0PS5g000000AbCeGAK'), fields: [] }],
          },
          {
            success: false,
            errors: [{ statusCode: 'FIELD_INTEGRITY_EXCEPTION', message: LICENSE_REFUSAL, fields: [] }],
          },
        ],
        JSON_HEADERS,
      );
    const outcomes = await assignPermissionSets(conn, USER, [
      { id: '0PS5g000000AbCdGAK', name: 'Integration_marketo' },
      { id: '0PS5g000000AbCeGAK', name: 'Marketo_Sync' },
      { id: '0PS5g000000AbCfGAK', name: 'Apex_Access' },
    ]);
    expect(sent.allOrNone).to.equal(false);
    expect(sent.records?.map((r) => r.PermissionSetId)).to.deep.equal([
      '0PS5g000000AbCdGAK',
      '0PS5g000000AbCeGAK',
      '0PS5g000000AbCfGAK',
    ]);
    expect(sent.records?.[0]).to.deep.include({ attributes: { type: 'PermissionSetAssignment' }, AssigneeId: USER });
    expect(outcomes.slice(0, 2)).to.deep.equal([
      { name: 'Integration_marketo', outcome: 'done' },
      { name: 'Marketo_Sync', outcome: 'already done' },
    ]);
    const refused = (outcomes[2] as { error: Error }).error;
    expect(refused.name).to.equal('FIELD_INTEGRITY_EXCEPTION');
    expect(isLicenseRefusal(refused)).to.equal(true);
  });

  it('finds permission sets by API name, managed ones by ns__Name, from one query', async () => {
    // wire-formats.md §2.2; PermissionSet.Name holds no namespace prefix (NamespacePrefix does)
    org()
      .get(`${DATA}/query`)
      .query((q) => String(q.q).includes("FROM PermissionSet WHERE Name IN ('Integration_marketo', 'Sync_User')"))
      .reply(
        200,
        queryAnswer('PermissionSet', [
          {
            Id: '0PS5g000000AbCdGAK',
            Name: 'Integration_marketo',
            NamespacePrefix: null,
            LicenseId: '0PL5g0000008OaBGAU',
          },
          { Id: '0PS5g000000MkToGAK', Name: 'Sync_User', NamespacePrefix: 'mkto_si', LicenseId: null },
        ]),
        JSON_HEADERS,
      );
    const found = await findPermissionSets(conn, ['Integration_marketo', 'mkto_si__Sync_User']);
    expect([...found.entries()]).to.deep.equal([
      [
        'integration_marketo',
        { id: '0PS5g000000AbCdGAK', name: 'Integration_marketo', licenseId: '0PL5g0000008OaBGAU' },
      ],
      ['mkto_si__sync_user', { id: '0PS5g000000MkToGAK', name: 'mkto_si__Sync_User', licenseId: undefined }],
    ]);
  });

  it("reads the user's assigned sets through the PermissionSet relationship", async () => {
    const ps = (name: string, ns: string | null): Record<string, unknown> => ({
      attributes: { type: 'PermissionSet', url: `${DATA}/sobjects/PermissionSet/0PS` },
      Name: name,
      NamespacePrefix: ns,
    });
    org()
      .get(`${DATA}/query`)
      .query((q) => String(q.q).includes(`FROM PermissionSetAssignment WHERE AssigneeId = '${USER}'`))
      .reply(
        200,
        queryAnswer('PermissionSetAssignment', [
          // a profile's own permission set is assigned too (X00e… names): read, never an error
          { PermissionSetId: '0PS5g000000PrOfGAK', PermissionSet: ps('X00e5g000001ABCdAAO', null) },
          { PermissionSetId: '0PS5g000000MkToGAK', PermissionSet: ps('Sync_User', 'mkto_si') },
        ]),
        JSON_HEADERS,
      );
    expect([...(await getAssignedPermissionSetNames(conn, USER))]).to.deep.equal([
      'x00e5g000001abcdaao',
      'mkto_si__sync_user',
    ]);
  });
});
