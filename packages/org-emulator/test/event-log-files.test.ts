import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { startEmulator, type Emulator } from '../src/index.js';

const supplement = JSON.parse(readFileSync(new URL('../data/sobjects-supplement.json', import.meta.url), 'utf8')) as {
  sObjects: Record<
    string,
    { evidence: string; fields: Record<string, { type: string; since: string; evidence: string }> }
  >;
};

describe('EventLogFile: the API usage logs, seeded', () => {
  let emu: Emulator;
  const get = async (path: string, token = emu.org().accessToken): Promise<Response> =>
    fetch(`${emu.url}/services/data/v62.0${path}`, { headers: { Authorization: `Bearer ${token}` } });

  before(async () => {
    emu = await startEmulator({
      seed: [
        {
          users: [{ username: 'sync@acme.com', lastName: 'Sync', profile: 'System Administrator' }],
          eventLogFiles: [
            {
              eventType: 'ApiTotalUsage',
              daysAgo: 1,
              requests: [
                { username: 'sync@acme.com', entity: 'Account' },
                { username: 'admin@emu.org', entity: 'Lead' },
              ],
            },
            {
              eventType: 'RestApi',
              daysAgo: 2,
              requests: [{ username: 'sync@acme.com', entity: 'Contact', method: 'POST' }],
            },
            { eventType: 'Login', daysAgo: 1, rows: [{ EVENT_TYPE: 'Login', USER_ID: '005000000000001' }] },
            { eventType: 'ApiTotalUsage', daysAgo: 40, requests: [{ username: 'sync@acme.com', entity: 'Case' }] },
          ],
        },
        { unreadableObjects: ['EventLogFile'] },
      ],
    });
  });
  after(async () => emu?.stop());

  it('serves every field the supplement names, with the sources it cites', () => {
    const object = supplement.sObjects.EventLogFile;
    expect(object.evidence).to.contain('developer.salesforce.com');
    const served = [...emu.org().state.schema.get('EventLogFile')!.fields.values()].map((f) => f.name);
    for (const [name, field] of Object.entries(object.fields)) {
      expect(field.evidence, name).to.be.a('string').and.not.equal('');
      if (!/^(CreatedById|LastModifiedById|LastModifiedDate|SystemModstamp)$/.test(name))
        expect(served, name).to.include(name);
    }
  });

  it('answers SOQL on the log files by type and LogDate window', async () => {
    const q = encodeURIComponent(
      "SELECT Id, EventType, LogDate, LogFile, LogFileLength FROM EventLogFile WHERE EventType IN ('ApiTotalUsage', 'API', 'RestApi') AND LogDate = LAST_N_DAYS:30 ORDER BY LogDate",
    );
    const body = (await (await get(`/query?q=${q}`)).json()) as {
      records: Array<{ Id: string; EventType: string; LogDate: string; LogFile: string; LogFileLength: number }>;
    };
    expect(body.records.map((r) => r.EventType)).to.deep.equal(['RestApi', 'ApiTotalUsage']);
    expect(body.records[0].LogFile).to.equal(
      `/services/data/v${emu.org().state.config.maxApiVersion}/sobjects/EventLogFile/${body.records[0].Id}/LogFile`,
    );
    expect(body.records[0].LogDate).to.match(/^\d{4}-\d\d-\d\dT00:00:00\.000\+0000$/);
  });

  it("serves the LogFile blob as CSV: the event type's columns, 15-character USER_ID, one row per request", async () => {
    const org = emu.org();
    const [file] = org.query(
      "SELECT Id, LogFileLength FROM EventLogFile WHERE EventType = 'ApiTotalUsage' AND LogDate = LAST_N_DAYS:30",
    );
    const res = await get(`/sobjects/EventLogFile/${String(file.Id)}/LogFile`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('text/csv');
    const text = await res.text();
    expect(Buffer.byteLength(text)).to.equal(file.LogFileLength);
    const [header, ...rows] = text.trim().split('\n');
    expect(header.split(',')).to.include.members([
      'EVENT_TYPE',
      'USER_ID',
      'ENTITY_NAME',
      'API_FAMILY',
      'HTTP_METHOD',
      'USER_NAME',
      'TIMESTAMP_DERIVED',
    ]);
    expect(header.split(',')).to.not.include('USER_ID_DERIVED');
    const col = (row: string, name: string): string => row.split(',')[header.split(',').indexOf(name)];
    const sync = org.user('sync@acme.com')!;
    expect(rows.map((r) => [col(r, 'USER_ID'), col(r, 'ENTITY_NAME')])).to.deep.equal([
      [String(sync.Id).slice(0, 15), 'Account'],
      [org.adminUserId.slice(0, 15), 'Lead'],
    ]);
    expect((await get('/sobjects/EventLogFile/0AT000000000000AAA/LogFile')).status).to.equal(404);
  });

  it('a running user without View Event Log Files: the object is unknown to them', async () => {
    const other = emu.org(1);
    const res = await get(`/query?q=${encodeURIComponent('SELECT Id FROM EventLogFile')}`, other.accessToken);
    expect(res.status).to.equal(400);
    expect(((await res.json()) as Array<{ errorCode: string }>)[0].errorCode).to.equal('INVALID_TYPE');
  });
});
