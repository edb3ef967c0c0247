/**
 * Least privilege through the real `sf` against the emulator: `create --from-user` on a System Administrator-profile
 * shared user prints one short block of the high-risk permissions it left out (not a warning each), carries none of
 * them; --keep-permission keeps the one named; --narrow-to-usage reads the seeded usage logs.
 */
import { expect } from 'chai';
import type { EmulatedOrg } from '@sf-integration-user/org-emulator';
import { startSfSession, type SfSession } from './harness.js';

const OLD = 'sync.bot@acme.com';
const HIGH_RISK_SAMPLE = [
  'ModifyAllData',
  'ViewAllData',
  'ManageUsers',
  'ModifyMetadata',
  'CustomizeApplication',
  'AuthorApex',
];

type CreateResult = {
  success: boolean;
  permissionSets: Array<{ name: string; license?: string }>;
  highRisk?: { leftOut: Array<{ name: string; keepWith: string }>; kept: string[] };
  usage?: { keptObjects: string[]; evidence: { files: unknown[]; rowsByUser: number } };
  warnings: string[];
};

describe('least privilege when copying access, through the real sf', function () {
  this.timeout(300_000);
  let s: SfSession;
  let org: EmulatedOrg;
  let project: string;

  before(async () => {
    s = await startSfSession({
      alias: 'acme',
      seed: {
        type: 'production',
        users: [{ username: OLD, lastName: 'Sync Bot', profile: 'System Administrator' }],
        eventLogFiles: [
          {
            eventType: 'ApiTotalUsage',
            daysAgo: 1,
            requests: [
              { username: OLD, entity: 'Account' },
              { username: OLD, entity: 'Lead' },
            ],
          },
        ],
      },
    });
    org = s.emulator.org(0);
    project = await s.project();
  });
  after(async () => s?.stop());

  const enabledIn = (name: string): string[] =>
    Object.entries(org.permissionSet(name) ?? {})
      .filter(([k, v]) => k.startsWith('Permissions') && v === true)
      .map(([k]) => k.slice('Permissions'.length));

  it('create --from-user on a System Administrator user: one short block, no high-risk permission carried', async () => {
    const args = [
      'integration-user',
      'create',
      '--target-org',
      'acme',
      '--username',
      'sync@acme.com.integration',
      '--from-user',
      OLD,
    ];
    const human = await s.runSf(args, { cwd: project, json: false });
    expect(human.exitCode, human.stdout + human.stderr).to.equal(0);
    const out = human.stdout;
    expect(out).to.contain('Left out: high-risk permissions');
    expect(out).to.match(
      /Least privilege: \d+ high-risk user permissions of the copied access left out of the new permission sets\./,
    );
    expect(out).to.contain('Privileged per Salesforce: AuthorApex, CustomizeApplication, ModifyAllData');
    expect(out).to.contain('--keep-permission <name>');
    // not one warning per permission
    expect(human.stderr).to.not.match(/High-risk permission \w+ is carried/);
    // (ModifyAllDataGovTags and the like are other permissions)
    expect(human.stderr.match(/\bModifyAllData\b/g) ?? []).to.have.length(0);
    const licensed = enabledIn('Integration_sync');
    for (const p of HIGH_RISK_SAMPLE) expect(licensed, p).to.not.include(p);
    expect(licensed).to.include('ViewSetup');

    // the same through --json: the list, each with the flag that keeps it
    const again = await s.runSf<CreateResult>(args, { cwd: project });
    expect(again.exitCode).to.equal(0);
    const left = again.result.highRisk!.leftOut;
    expect(left.map((p) => p.name)).to.include.members(HIGH_RISK_SAMPLE);
    expect(left.find((p) => p.name === 'ModifyAllData')?.keepWith).to.equal('--keep-permission ModifyAllData');
  });

  it('--keep-permission keeps the one named; --narrow-to-usage narrows objects to the logs', async () => {
    const r = await s.runSf<CreateResult>(
      [
        'integration-user',
        'create',
        '--target-org',
        'acme',
        '--username',
        'sync2@acme.com.integration',
        '--from-user',
        OLD,
        '--keep-permission',
        'ViewAllData',
        '--narrow-to-usage',
      ],
      { cwd: project },
    );
    expect(r.exitCode, r.stdout + r.stderr).to.equal(0);
    expect(r.result.highRisk?.kept).to.deep.equal(['ViewAllData']);
    const licensed = enabledIn('Integration_sync2');
    expect(licensed).to.include('ViewAllData').and.not.include('ModifyAllData');
    expect(r.result.usage?.keptObjects).to.deep.equal(['Account', 'Lead']);
    const ps = org.permissionSet('Integration_sync2')!;
    const objects = org
      .query(`SELECT SobjectType FROM ObjectPermissions WHERE ParentId = '${String(ps.Id)}'`)
      .map((o) => String(o.SobjectType));
    expect(objects.sort()).to.deep.equal(['Account', 'Lead']);
  });
});
