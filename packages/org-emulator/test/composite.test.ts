import { expect } from 'chai';
import { USER_FIELDS } from './clients.js';
import { startEmulator, type Emulator } from '../src/index.js';

/** /composite and /composite/batch as the REST API Developer Guide describes them (docs/salesforce-behaviour.md). */
/** An error as the REST API answers it. */
type ErrorJson = { errorCode: string; message: string };
/** A body as the tests read it: a record's fields, or (indexed) the errors of a failed subrequest. */
type Body = Record<string, unknown> & ErrorJson[];
/** What /composite and /composite/batch answer; a refused request answers an error list instead. */
type Answer = {
  compositeResponse: Array<{ referenceId: string; httpStatusCode: number; body: Body }>;
  hasErrors: boolean;
  results: Array<{ statusCode: number; result: Body }>;
} & ErrorJson[];
type Subrequest = { method: string; url: string; referenceId: string; body: Record<string, unknown> };

describe('emulator composite API', () => {
  let emu: Emulator;
  const V = '/services/data/v66.0';

  beforeEach(async () => {
    emu = await startEmulator({ seed: { type: 'production' } });
  });
  afterEach(async () => emu?.stop());

  async function post(path: string, body: unknown): Promise<{ status: number; json: Answer }> {
    const res = await fetch(`${emu.url}${V}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emu.org().accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Answer };
  }
  const profileId = (): string =>
    String(emu.org().query("SELECT Id FROM Profile WHERE Name = 'Minimum Access - API Only Integrations'")[0].Id);
  const pslId = (): string =>
    String(
      emu.org().query("SELECT Id FROM PermissionSetLicense WHERE DeveloperName = 'SalesforceAPIIntegrationPsl'")[0].Id,
    );
  const newUser = (username: string): Record<string, unknown> => ({
    ...USER_FIELDS,
    Username: username,
    ProfileId: profileId(),
  });
  const userWithLicense = (username: string, extra: Subrequest[] = []): Subrequest[] => [
    { method: 'POST', url: `${V}/sobjects/User`, referenceId: 'user', body: newUser(username) },
    {
      method: 'POST',
      url: `${V}/sobjects/PermissionSetLicenseAssign`,
      referenceId: 'psl',
      body: { AssigneeId: '@{user.id}', PermissionSetLicenseId: pslId() },
    },
    ...extra,
  ];

  it('runs subrequests in order with @{ref.id} and @{ref.records[0].Id} references; HTTP 200', async () => {
    const r = await post('/composite', {
      allOrNone: true,
      compositeRequest: [
        ...userWithLicense('a@comp.test'),
        {
          method: 'GET',
          url: `${V}/query?q=${encodeURIComponent("SELECT Id FROM User WHERE Username = 'a@comp.test'")}`,
          referenceId: 'q',
        },
        { method: 'GET', url: `${V}/sobjects/User/@{q.records[0].Id}?fields=Username`, referenceId: 'again' },
        { method: 'GET', url: `${V}/sobjects/Account/describe`, referenceId: 'describe' },
      ],
    });
    expect(r.status).to.equal(200);
    expect(r.json.compositeResponse.map((x) => [x.referenceId, x.httpStatusCode])).to.deep.equal([
      ['user', 201],
      ['psl', 201],
      ['q', 200],
      ['again', 200],
      ['describe', 200],
    ]);
    const user = emu.org().user('a@comp.test')!;
    expect(r.json.compositeResponse[3].body.Username).to.equal('a@comp.test');
    expect(
      emu.org().count(`SELECT Id FROM PermissionSetLicenseAssign WHERE AssigneeId = '${String(user.Id)}'`),
    ).to.equal(1);
  });

  it('allOrNone: a failure rolls back everything; every other subrequest answers PROCESSING_HALTED', async () => {
    const r = await post('/composite', {
      allOrNone: true,
      compositeRequest: userWithLicense('b@comp.test', [
        {
          method: 'POST',
          url: `${V}/sobjects/PermissionSetAssignment`,
          referenceId: 'bad',
          body: { AssigneeId: '@{user.id}', PermissionSetId: '0PS000000000000AAA' },
        },
      ]),
    });
    expect(r.status).to.equal(200);
    const [user, psl, bad] = r.json.compositeResponse;
    const halted = [
      {
        errorCode: 'PROCESSING_HALTED',
        message: 'The transaction was rolled back since another operation in the same transaction failed.',
      },
    ];
    expect(user).to.deep.equal({ body: halted, httpHeaders: {}, httpStatusCode: 400, referenceId: 'user' });
    expect(psl.body).to.deep.equal(halted);
    expect(bad.httpStatusCode).to.be.within(400, 499);
    expect(bad.body[0].errorCode).to.not.equal('PROCESSING_HALTED');
    expect(emu.org().user('b@comp.test'), 'rolled back').to.equal(undefined);
    // the username is free again
    const again = await post('/composite', { allOrNone: true, compositeRequest: userWithLicense('b@comp.test') });
    expect(again.json.compositeResponse.map((x) => x.httpStatusCode)).to.deep.equal([201, 201]);
  });

  it('without allOrNone: independent subrequests run, a dependent one fails with "Invalid reference specified"', async () => {
    const r = await post('/composite', {
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/User`, referenceId: 'user', body: { Username: 'c@comp.test' } },
        {
          method: 'POST',
          url: `${V}/sobjects/PermissionSetLicenseAssign`,
          referenceId: 'psl',
          body: { AssigneeId: '@{user.id}', PermissionSetLicenseId: pslId() },
        },
        { method: 'GET', url: `${V}/sobjects/Account/describe`, referenceId: 'describe' },
      ],
    });
    const [user, psl, describe] = r.json.compositeResponse;
    expect(user.httpStatusCode).to.equal(400);
    expect(psl.httpStatusCode).to.equal(400);
    expect(psl.body[0].errorCode).to.equal('PROCESSING_HALTED');
    expect(psl.body[0].message).to.match(/^Invalid reference specified\. No value for user\.id found in user\./);
    expect(describe.httpStatusCode).to.equal(200);
  });

  it('a reference is case-sensitive: @{user.Id} after a create (which answers `id`) is invalid', async () => {
    const r = await post('/composite', {
      compositeRequest: userWithLicense('d@comp.test').map((s) =>
        s.referenceId === 'psl' ? { ...s, body: { ...s.body, AssigneeId: '@{user.Id}' } } : s,
      ),
    });
    expect(r.json.compositeResponse[1].body[0].message).to.contain('Invalid reference specified');
  });

  it('limits: 25 subrequests, 5 query or collections subrequests (the whole request refused, nothing run)', async () => {
    const q = (i: number): unknown => ({
      method: 'GET',
      url: `${V}/query?q=SELECT+Id+FROM+User`,
      referenceId: `q${i}`,
    });
    const d = (i: number): unknown => ({ method: 'GET', url: `${V}/sobjects/Account/describe`, referenceId: `d${i}` });
    const six = await post('/composite', { compositeRequest: [0, 1, 2, 3, 4, 5].map(q) });
    expect(six.status).to.equal(400);
    expect(six.json[0].errorCode).to.equal('LIMIT_EXCEEDED');
    const five = await post('/composite', {
      compositeRequest: [...[0, 1, 2, 3, 4].map(q), ...Array.from({ length: 20 }, (_, i) => d(i))],
    });
    expect(five.status).to.equal(200);
    const many = await post('/composite', { compositeRequest: Array.from({ length: 26 }, (_, i) => d(i)) });
    expect(many.status).to.equal(400);
    expect(many.json[0].errorCode).to.equal('LIMIT_EXCEEDED');
  });

  it('mixed DML: setup objects together by default, a setup and a non-setup object refused; the stricter switch refuses User + PermissionSetLicenseAssign', async () => {
    const mixed = await post('/composite', {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'acct', body: { Name: 'Acme' } },
        { method: 'POST', url: `${V}/sobjects/User`, referenceId: 'user', body: newUser('e@comp.test') },
      ],
    });
    expect(mixed.json.compositeResponse[1].body[0]).to.deep.include({ errorCode: 'MIXED_DML_OPERATION' });
    expect(mixed.json.compositeResponse[1].body[0].message).to.equal(
      'DML operation on setup object is not permitted after you have updated a non-setup object (or vice versa): User, original object: Account',
    );
    expect(emu.org().count("SELECT Id FROM Account WHERE Name = 'Acme'"), 'rolled back').to.equal(0);

    emu.org().config.compositeMixedDml = 'any-setup-mix';
    const strict = await post('/composite', { allOrNone: true, compositeRequest: userWithLicense('f@comp.test') });
    expect(strict.json.compositeResponse.map((x) => x.body[0]?.errorCode)).to.deep.equal([
      'PROCESSING_HALTED',
      'MIXED_DML_OPERATION',
    ]);
    expect(emu.org().user('f@comp.test')).to.equal(undefined);
  });

  it('a fault names the composite request by what its subrequests are about: a drop loses it whole', async () => {
    emu.faults.add({
      method: 'POST',
      path: /\/composite$/,
      sobject: 'PermissionSetLicenseAssign',
      respond: { drop: true },
    });
    const lost = await post('/composite', { allOrNone: true, compositeRequest: userWithLicense('g@comp.test') }).catch(
      (e: Error) => e,
    );
    expect(lost).to.be.instanceOf(Error);
    expect(emu.org().user('g@comp.test')).to.equal(undefined);
    emu.faults.add({ method: 'POST', path: /\/composite$/, respond: { dropAfter: true } });
    await post('/composite', { allOrNone: true, compositeRequest: userWithLicense('g@comp.test') }).catch(
      (e: Error) => e,
    );
    expect(emu.org().user('g@comp.test'), 'the org did the work, the answer was lost').to.not.equal(undefined);
  });

  it('/composite/batch: independent, committed one by one; haltOnError answers 412 BATCH_PROCESSING_HALTED after a failure', async () => {
    const r = await post('/composite/batch', {
      batchRequests: [
        { method: 'GET', url: 'v66.0/query?q=SELECT+Id+FROM+Organization' },
        { method: 'GET', url: 'v66.0/sobjects/PermissionSet/describe' },
        { method: 'GET', url: 'v66.0/sobjects/NoSuchThing__c/describe' },
        { method: 'POST', url: 'v66.0/sobjects/Account', richInput: { Name: 'Batch' } },
      ],
    });
    expect(r.status).to.equal(200);
    expect(r.json.hasErrors).to.equal(true);
    expect(r.json.results.map((x) => x.statusCode)).to.deep.equal([200, 200, 404, 201]);
    expect(r.json.results[0].result.records).to.have.length(1);
    const halted = await post('/composite/batch', {
      haltOnError: true,
      batchRequests: [
        { method: 'GET', url: 'v66.0/sobjects/NoSuchThing__c/describe' },
        { method: 'POST', url: 'v66.0/sobjects/Account', richInput: { Name: 'Never' } },
      ],
    });
    expect(halted.json.results.map((x) => x.statusCode)).to.deep.equal([404, 412]);
    expect(halted.json.results[1].result[0].errorCode).to.equal('BATCH_PROCESSING_HALTED');
    expect(emu.org().count("SELECT Id FROM Account WHERE Name = 'Never'")).to.equal(0);
    const tooMany = await post('/composite/batch', {
      batchRequests: Array.from({ length: 26 }, () => ({ method: 'GET', url: 'v66.0/sobjects/Account/describe' })),
    });
    expect(tooMany.status).to.equal(400);
  });
});
