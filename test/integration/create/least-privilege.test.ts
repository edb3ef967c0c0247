/**
 * Least privilege when copying access, in-process against the org emulator: replacing a System Administrator-profile
 * shared user leaves the high-risk permissions out unless kept; compare shows them as deliberate gaps; the usage
 * logs (EventLogFile) narrow object access, or the run refuses when there are none to read.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import { SfError } from '@salesforce/core';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import IntegrationUserCreate from '../../../src/commands/integration-user/create.js';
import IntegrationUserCompare from '../../../src/commands/integration-user/compare.js';
import ConvertProfile from '../../../src/commands/integration-user/convert-profile.js';
import type { CreateResult } from '../../../src/create/executor.js';
import { HIGH_RISK_USER_PERMISSIONS } from '../../../src/permissions/license-rules.js';
import { startEmulator, type Emulator, type EmulatorSeed, type EmulatedOrg } from '@sf-integration-user/org-emulator';
import { loginToEmulator, useTempHome, type TempHome } from '../../helpers/emulator-login.js';
import { orgWrites } from '../../helpers/requests.js';
import { messageText } from '../../helpers/output.js';

const OLD = 'sync.bot@acme.com';
const NEW = 'sync@acme.com.integration';
const PS = 'Integration_sync';
const HIGH_RISK = new Set(Object.keys(HIGH_RISK_USER_PERMISSIONS));
const ADMIN_SEED: EmulatorSeed = {
  type: 'production',
  users: [{ username: OLD, lastName: 'Sync Bot', profile: 'System Administrator' }],
};

describe('least privilege when copying access (emulator)', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let home: TempHome;
  let out: string;
  let sandbox: sinon.SinonSandbox;
  let ux: ReturnType<typeof stubSfCommandUx>;
  const logs = (): string[] => ux.log.getCalls().map((c) => String(c.args[0]));

  before(async () => {
    home = await useTempHome('least-privilege-home-', { SF_INTEGRATION_USER_POLL_MS: '10' });
  });
  after(async () => home.restore());
  beforeEach(async () => {
    sandbox = sinon.createSandbox();
    ux = stubSfCommandUx(sandbox);
    out = await mkdtemp(join(tmpdir(), 'least-privilege-out-'));
  });
  afterEach(async () => {
    sandbox.restore();
    await emu?.stop();
    await rm(out, { recursive: true, force: true });
  });

  async function start(seed: EmulatorSeed): Promise<EmulatedOrg> {
    emu = await startEmulator({ seed });
    await loginToEmulator(emu);
    emu.clearRequests();
    return emu.org();
  }
  const create = (org: EmulatedOrg, extra: string[] = []): Promise<CreateResult> =>
    IntegrationUserCreate.run([
      '--target-org',
      org.adminUsername,
      '--username',
      NEW,
      '--from-user',
      OLD,
      '--output-dir',
      out,
      ...extra,
    ]) as unknown as Promise<CreateResult>;
  const enabled = (rec: Record<string, unknown> | undefined): string[] =>
    Object.entries(rec ?? {})
      .filter(([k, v]) => k.startsWith('Permissions') && v === true)
      .map(([k]) => k.slice('Permissions'.length));
  /** user permissions the new user holds through its generated sets (licensed, and companion when assigned) */
  const newUserPermissions = (org: EmulatedOrg): string[] => {
    const id = String(org.user(NEW)!.Id);
    const sets = org.query(
      `SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '${id}' AND PermissionSet.IsOwnedByProfile = false`,
    );
    return sets.flatMap((a) => enabled(org.record(String(a.PermissionSetId))));
  };

  it('a System Administrator shared user: the new licensed set carries none of the high-risk permissions; one block says so', async () => {
    const org = await start(ADMIN_SEED);
    const result = await create(org);
    expect(result.success).to.equal(true);
    const licensed = enabled(org.permissionSet(PS));
    expect(licensed.filter((p) => HIGH_RISK.has(p))).to.deep.equal([]);
    expect(licensed).to.include.members(['RunReports', 'ViewSetup']);
    expect(newUserPermissions(org).filter((p) => HIGH_RISK.has(p))).to.deep.equal([]);
    const companion = enabled(org.permissionSet(`${PS}_Companion`));
    expect(
      companion.filter((p) => HIGH_RISK.has(p)),
      'not even for review',
    ).to.deep.equal([]);

    const left = result.highRisk!.leftOut.map((p) => p.name);
    expect(left).to.include.members([
      'ModifyAllData',
      'ViewAllData',
      'ManageUsers',
      'ModifyMetadata',
      'CustomizeApplication',
      'AuthorApex',
    ]);
    expect(result.highRisk!.leftOut.find((p) => p.name === 'ModifyAllData')).to.include({
      privilegedBySalesforce: true,
      keepWith: '--keep-permission ModifyAllData',
    });
    // one block, no warning per permission, no gap warning for them
    expect(ux.styledHeader.getCalls().map((c) => String(c.args[0]))).to.include('Left out: high-risk permissions');
    expect(logs().filter((l) => l.startsWith('Least privilege:'))).to.deep.equal([
      `Least privilege: ${left.length} high-risk user permissions of the copied access left out of the new permission sets.`,
    ]);
    const warnings = ux.warn.getCalls().map((c) => messageText(c.args[0]));
    expect(warnings.filter((w) => /\bModifyAllData\b|\bManageUsers\b/.test(w))).to.deep.equal([]);
    expect(warnings.length, warnings.join('\n')).to.be.below(20);
    // the comparison: each a deliberate gap with the flag that keeps it
    const gap = result.comparison!.rows.find((r) => r.name === 'ModifyAllData');
    expect(gap?.why).to.deep.equal({
      kind: 'high-risk',
      reason:
        'left out by default: it can read, edit and delete all records of every object (keep with --keep-permission ModifyAllData)',
    });
    console.log(
      `      System Administrator: licensed set ${licensed.length} user permissions, ${left.length} high-risk left out, ${warnings.length} warnings`,
    );
  });

  it('--keep-permission keeps the named one, and only it; compare then shows the rest as deliberate gaps', async () => {
    const org = await start(ADMIN_SEED);
    const result = await create(org, ['--keep-permission', 'ViewAllData', '--json']);
    expect(result.highRisk!.kept).to.deep.equal(['ViewAllData']);
    expect(enabled(org.permissionSet(PS)).filter((p) => HIGH_RISK.has(p))).to.deep.equal(['ViewAllData']);
    expect(result.warnings.some((w) => w.startsWith('High-risk permission ViewAllData'))).to.equal(false);

    const compared = await IntegrationUserCompare.run([
      '--target-org',
      org.adminUsername,
      '--user',
      OLD,
      '--user',
      NEW,
      '--json',
    ]);
    const why = (name: string): string | undefined =>
      compared.comparison.rows.find((r) => r.name === name && r.lacks.length)?.why?.kind;
    expect(why('ModifyAllData')).to.equal('high-risk');
    expect(why('ManageUsers')).to.equal('high-risk');
    expect(why('ViewAllData')).to.equal(undefined);
    expect(compared.comparison.gapsByKind['high-risk']).to.equal(result.highRisk!.leftOut.length);
  });

  const LOGS: EmulatorSeed = {
    ...ADMIN_SEED,
    eventLogFiles: [
      {
        eventType: 'ApiTotalUsage',
        daysAgo: 1,
        requests: [
          { username: OLD, entity: 'Account' },
          { username: OLD, entity: 'Contact', method: 'POST' },
          { username: 'admin@emu.org', entity: 'Case' },
        ],
      },
      { eventType: 'ApiTotalUsage', daysAgo: 2, requests: [{ username: OLD, entity: 'Account' }, { username: OLD }] },
      { eventType: 'RestApi', daysAgo: 2, requests: [{ username: OLD, entity: 'Lead', method: 'PATCH' }] },
      { eventType: 'Login', daysAgo: 1, rows: [{ EVENT_TYPE: 'Login' }] },
    ],
  };

  it('--narrow-to-usage keeps object access for what the old user touched through the API, and prints the evidence window', async () => {
    const org = await start(LOGS);
    const result = await create(org, ['--narrow-to-usage']);
    expect(result.success).to.equal(true);
    const u = result.usage!;
    expect(u.evidence.files.map((f) => [f.eventType, f.rows, f.rowsByUser])).to.deep.equal([
      ['ApiTotalUsage', 2, 2],
      ['RestApi', 1, 1],
      ['ApiTotalUsage', 3, 2],
    ]);
    expect(u.evidence.eventTypes).to.deep.equal({ ApiTotalUsage: 2, RestApi: 1 });
    expect(u.keptObjects).to.deep.equal(['Account', 'Contact', 'Lead']);
    expect(u.leftOutObjects).to.include.members(['Campaign', 'Case', 'Opportunity']);
    const ps = org.permissionSet(PS)!;
    const objects = org
      .query(`SELECT SobjectType FROM ObjectPermissions WHERE ParentId = '${String(ps.Id)}'`)
      .map((o) => o.SobjectType);
    expect(objects.sort()).to.deep.equal(['Account', 'Contact', 'Lead']);
    const xml = await readFile(join(out, `${PS}.permissionset-meta.xml`), 'utf8');
    expect(xml).to.not.contain('<object>Case</object>');
    // the evidence, once
    const lines = logs();
    const read = lines.find((l) => l.startsWith('Read 3 log files'));
    expect(read, lines.join('\n')).to.match(
      /^Read 3 log files, LogDate \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(ApiTotalUsage 2, RestApi 1; window: last 30 days\): 6 rows, 5 by sync\.bot@acme\.com\.$/,
    );
    expect(lines).to.include('Objects used: Account, Contact, Lead.');
    // what it read: the usage types only, their blobs
    const soql = emu.requests.map((r) => r.soql ?? '').find((q) => /FROM EventLogFile/.test(q));
    expect(soql).to.contain("EventType IN ('ApiTotalUsage', 'API', 'RestApi')").and.contain('LogDate = LAST_N_DAYS:30');
    expect(emu.requests.filter((r) => /\/sobjects\/EventLogFile\/\w+\/LogFile$/.test(r.path))).to.have.length(3);
    // the comparison names them as unused, not as unexplained gaps
    expect(result.comparison!.rows.find((r) => r.name === 'Case' && r.category === 'object')?.why?.kind).to.equal(
      'not-used',
    );
  });

  it('--usage-days narrows the window; none of the logs in it: refuses before any write, and says why', async () => {
    const org = await start({
      ...LOGS,
      eventLogFiles: [{ eventType: 'ApiTotalUsage', daysAgo: 5, requests: [{ username: OLD, entity: 'Account' }] }],
    });
    const error = (await create(org, ['--narrow-to-usage', '--usage-days', '2', '--json']).catch(
      (e: SfError) => e,
    )) as SfError;
    expect(error).to.be.instanceOf(SfError);
    expect(error.name).to.equal('NoUsageLogsError');
    expect(error.message).to.contain('No API usage log in the last 2 days').and.contain('ApiTotalUsage, API, RestApi');
    expect(error.actions?.join(' ')).to.contain('1 day in Developer Edition').and.contain('without --narrow-to-usage');
    expect(orgWrites(emu.requests)).to.deep.equal([]);
    expect(org.user(NEW)).to.equal(undefined);
  });

  it('no ViewEventLogFiles for the running user: refuses and names the permission', async () => {
    const org = await start({ ...LOGS, unreadableObjects: ['EventLogFile'] });
    const error = (await create(org, ['--narrow-to-usage', '--json']).catch((e: SfError) => e)) as SfError;
    expect(error.name).to.equal('UsageLogsUnreadableError');
    expect(error.message).to.contain("sObject type 'EventLogFile' is not supported");
    expect(error.actions?.join(' ')).to.contain('View Event Log Files').and.contain('API Enabled');
    expect(orgWrites(emu.requests)).to.deep.equal([]);
  });

  it('logs without a request of the old user on its objects: refuses rather than narrow to nothing', async () => {
    const org = await start({
      ...LOGS,
      eventLogFiles: [
        { eventType: 'ApiTotalUsage', daysAgo: 1, requests: [{ username: 'admin@emu.org', entity: 'Account' }] },
      ],
    });
    const error = (await create(org, ['--narrow-to-usage', '--json']).catch((e: SfError) => e)) as SfError;
    expect(error.name).to.equal('NoUsageByUserError');
    expect(error.message).to.contain(OLD).and.contain('no object access');
    expect(orgWrites(emu.requests)).to.deep.equal([]);
  });

  it('convert-profile --from-user --narrow-to-usage: the same narrowing and evidence, high risk left out', async () => {
    const org = await start(LOGS);
    const result = await ConvertProfile.run([
      '--from-user',
      OLD,
      '--target-org',
      org.adminUsername,
      '--output-dir',
      out,
      '--narrow-to-usage',
      '--json',
    ]);
    expect(result.usage?.keptObjects).to.deep.equal(['Account', 'Contact', 'Lead']);
    expect(result.highRisk.leftOut.map((p) => p.name)).to.include('ModifyAllData');
    const xml = await readFile(result.permissionSets[0].path, 'utf8');
    expect([...xml.matchAll(/<object>(\w+)<\/object>/g)].map((m) => m[1])).to.deep.equal([
      'Account',
      'Contact',
      'Lead',
    ]);
  });
});
