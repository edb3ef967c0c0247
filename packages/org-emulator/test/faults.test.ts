import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { USER_FIELDS, connect, failure } from './clients.js';
import { startEmulator, type Emulator } from '../src/index.js';

describe('emulator fault injection and request log', () => {
  let emu: Emulator;
  let conn: Connection;

  before(async () => {
    emu = await startEmulator();
    conn = await connect(emu);
  });
  afterEach(() => emu.faults.clear());
  after(async () => emu?.stop());

  const query = (): Promise<unknown> => Promise.resolve(conn.query('SELECT Id FROM User'));

  it('fails the Nth matching request with a status and body, once', async () => {
    const fault = emu.faults.add({
      method: 'GET',
      path: /\/query$/,
      nth: 2,
      respond: { status: 404, body: '<html>Not here</html>', headers: { 'content-type': 'text/html' } },
    });
    await query();
    const err = await failure(query());
    expect(err.name).to.equal('ERROR_HTTP_404');
    await query();
    expect(fault.seen).to.equal(3);
    expect(fault.fired).to.equal(1);
  });

  it('fails with a Salesforce error in the REST shape', async () => {
    emu.faults.add({
      path: '/sobjects/User',
      respond: { error: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record' },
    });
    const err = await failure(conn.sobject('User').create({ LastName: 'x' }));
    expect(err.name).to.equal('UNABLE_TO_LOCK_ROW');
    expect(err.message).to.equal('unable to obtain exclusive access to this record');
  });

  it('fails a SOAP operation with a SOAP fault', async () => {
    emu.faults.add({
      soapAction: 'listMetadata',
      respond: { error: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' },
    });
    const err = await failure(conn.metadata.list({ type: 'PermissionSet' }));
    expect(err.name).to.equal('sf:REQUEST_LIMIT_EXCEEDED');
    expect(err.message).to.equal('REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.');
  });

  it('drops the connection', async () => {
    emu.faults.add({ path: /\/query$/, respond: { drop: true } });
    const err = await failure(query());
    expect(err.message).to.match(/socket|ECONNRESET|hang up|terminated|fetch failed/i);
    await query();
    expect(emu.requests.filter((r) => r.status === -1)).to.have.length.greaterThan(0);
  });

  it('does the work, then drops the connection instead of answering (dropAfter)', async () => {
    const username = 'lost.answer@emu.org';
    const profile = await conn.singleRecordQuery<{ Id: string }>("SELECT Id FROM Profile WHERE Name = 'Standard User'");
    const fault = emu.faults.add({ method: 'POST', path: /\/sobjects\/User$/, respond: { dropAfter: true } });
    const err = await failure(
      conn.sobject('User').create({ ...USER_FIELDS, Username: username, Email: username, ProfileId: profile.Id }),
    );
    expect(err.message).to.match(/socket|ECONNRESET|hang up|terminated|fetch failed/i);
    expect(fault.fired).to.equal(1);
    // the org saved the user although the client never heard so
    expect(emu.org().user(username)).to.not.equal(undefined);
    expect(emu.requests.at(-1)).to.include({ method: 'POST', status: -1 });
  });

  it('lets jsforce retry a 503 and succeed', async () => {
    const fault = emu.faults.add({
      path: /\/query$/,
      respond: { status: 503, body: 'Service Unavailable', headers: { 'content-type': 'text/html' } },
    });
    await query();
    expect(fault.fired).to.equal(1);
    expect(fault.seen).to.equal(2);
  });

  it('delays a response', async () => {
    emu.faults.add({ path: /\/query$/, times: 2, respond: { delayMs: 150 } });
    const t0 = Date.now();
    await query();
    expect(Date.now() - t0).to.be.at.least(140);
  });

  it('lets SDR ride out a failed status poll during a deploy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-fault-'));
    try {
      const root = join(dir, 'permissionsets');
      mkdirSync(root, { recursive: true });
      writeFileSync(
        join(root, 'Flaky.permissionset-meta.xml'),
        '<?xml version="1.0" encoding="UTF-8"?><PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata"><label>Flaky</label></PermissionSet>',
      );
      emu.faults.add({
        soapAction: 'checkDeployStatus',
        nth: 1,
        respond: { status: 503, body: 'Service Unavailable', headers: { 'content-type': 'text/html' } },
      });
      const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
      const deploy = await ComponentSet.fromSource(root).deploy({ usernameOrConnection: conn });
      const result = await deploy.pollStatus(10, 30);
      expect(result.response.status).to.equal('Succeeded');
      expect(emu.requests.filter((r) => r.soapOperation === 'checkDeployStatus').map((r) => r.status)).to.deep.equal([
        503, 200,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('logs every request with method, path, SOAP operation, status and org', async () => {
    emu.clearRequests();
    await query();
    await conn.metadata.list({ type: 'Profile' });
    const [q, soap] = emu.requests;
    expect(q).to.include({ method: 'GET', path: '/services/data/v66.0/query', status: 200, orgId: emu.org().id });
    expect(soap).to.include({
      method: 'POST',
      path: '/services/Soap/m/66.0',
      soapOperation: 'listMetadata',
      status: 200,
      orgId: emu.org().id,
    });
    expect(emu.requests).to.have.length(2);
  });
});
