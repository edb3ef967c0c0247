/**
 * Reading a profile and a user's effective access from the emulated org (real HTTP), on a generated admin-like
 * profile (300 objects, 3,600 field permissions, classes, pages, tabs…), permission sets and a group with a muting
 * set. Expectations come from the generator's plain data, not from the code under test.
 */
import { expect } from 'chai';
import { Org, type Connection } from '@salesforce/core';
import { readProfileFromOrg } from '../../../src/access-reader/read-profile-from-org.js';
import { readEffectiveAccess, sourcesOf, type EffectiveAccess } from '../../../src/access-reader/effective-access.js';
import { applyOrgRules, readOrgRules } from '../../../src/access-reader/org-rules.js';
import { convertToIntegrationPermissionSets } from '../../../src/permissions/convert.js';
import { INHERENT_USER_PERMISSIONS, UI_ONLY_USER_PERMISSIONS } from '../../../src/permissions/license-rules.js';
import type { Entry } from '../../../src/permissions/model.js';
import { compareAccess } from '../../../src/compare/compare.js';
import { compareInOrg } from '../../../src/compare/from-org.js';
import { startEmulator, type Emulator } from '@sf-integration-user/org-emulator';
import { loginInTempHome } from '../../helpers/emulator-login.js';
import { testVersionHas } from '../../helpers/api-version.js';
import { bigOrg, OTHER_SECTIONS, type BigOrg, type Grants } from './big-org.js';

type Flat = Map<string, Set<string>>; // "section|name" -> grant fields

const OBJECT_GRANTS = [
  'allowCreate',
  'allowDelete',
  'allowEdit',
  'allowRead',
  'modifyAllRecords',
  'viewAllFields',
  'viewAllRecords',
] as const;

/** Expected grants of some sources, merged by hand (a grant anywhere is a grant), less what muting removes. */
function expected(big: BigOrg, sources: Grants[], muted: Grants[] = []): Flat {
  const out: Flat = new Map();
  const add = (section: string, name: string, grant: string): void => {
    const id = `${section}|${name}`;
    (out.get(id) ?? out.set(id, new Set()).get(id)!).add(grant);
  };
  for (const g of sources) {
    for (const p of g.userPermissions) add('userPermissions', p, 'enabled');
    for (const [o, r] of Object.entries(g.objects))
      for (const k of OBJECT_GRANTS) if (r[k]) add('objectPermissions', o, k);
    for (const [f, [read, edit]] of Object.entries(g.fields)) {
      if (read) add('fieldPermissions', f, 'readable');
      if (edit) add('fieldPermissions', f, 'editable');
    }
    for (const [section, names] of Object.entries(g.other))
      for (const n of names) add(section, n, OTHER_SECTIONS[section][1]);
    for (const [t, v] of Object.entries(g.tabs)) add('tabSettings', t, v);
  }
  for (const m of muted) {
    for (const p of m.userPermissions) out.get(`userPermissions|${p}`)?.delete('enabled');
    for (const [f, [read, edit]] of Object.entries(m.fields)) {
      if (read) out.get(`fieldPermissions|${f}`)?.delete('readable');
      if (edit) out.get(`fieldPermissions|${f}`)?.delete('editable');
    }
  }
  for (const [id, grants] of out) if (grants.size === 0) out.delete(id);
  // tab: the most visible wins
  for (const [id, grants] of out)
    if (id.startsWith('tabSettings|') && grants.has('Visible')) grants.delete('Available');
  void big;
  return out;
}

const KEYS: Record<string, string> = {
  userPermissions: 'name',
  objectPermissions: 'object',
  fieldPermissions: 'field',
  tabSettings: 'tab',
  tabVisibilities: 'tab',
  ...Object.fromEntries(Object.entries(OTHER_SECTIONS).map(([s, [k]]) => [s, k])),
};

/** What a document grants, in the same flat form. */
function flatten(sections: Partial<Record<string, Entry[]>>): Flat {
  const out: Flat = new Map();
  for (const [section, entries] of Object.entries(sections)) {
    const s = section === 'tabVisibilities' ? 'tabSettings' : section;
    for (const e of entries ?? []) {
      const name = String(e[KEYS[section] ?? 'name']);
      const grants = new Set<string>();
      if (s === 'tabSettings')
        grants.add(
          e.visibility === 'DefaultOn' ? 'Visible' : e.visibility === 'DefaultOff' ? 'Available' : String(e.visibility),
        );
      else for (const [k, v] of Object.entries(e)) if (v === true) grants.add(k);
      if (grants.size) {
        const id = `${s}|${name}`;
        const hit = out.get(id);
        if (hit) for (const g of grants) hit.add(g);
        else out.set(id, grants);
      }
    }
  }
  return out;
}

function expectSame(actual: Flat, wantedAtNewest: Flat): void {
  // below 63.0 ObjectPermissions has no PermissionsViewAllFields: the org can't report that grant
  const wanted: Flat = testVersionHas('63.0')
    ? wantedAtNewest
    : new Map(
        [...wantedAtNewest]
          .map(([id, g]): [string, Set<string>] => [id, new Set([...g].filter((x) => x !== 'viewAllFields'))])
          .filter(([, g]) => g.size > 0),
      );
  const missing = [...wanted]
    .filter(([id, g]) => !actual.has(id) || [...g].some((x) => !actual.get(id)!.has(x)))
    .map(([id]) => id);
  const extra = [...actual]
    .filter(([id, g]) => !wanted.has(id) || [...g].some((x) => !wanted.get(id)!.has(x)))
    .map(([id]) => id);
  expect({ missing: missing.slice(0, 10), extra: extra.slice(0, 10) }).to.deep.equal({ missing: [], extra: [] });
  expect(actual.size).to.equal(wanted.size);
}

describe('access-reader: profile and effective access from the org', function () {
  this.timeout(60_000);
  const big = bigOrg();
  let emu: Emulator;
  let conn: Connection;
  let restore: () => Promise<void>;
  let access: EffectiveAccess;

  before(async () => {
    emu = await startEmulator({ seed: big.seed });
    const login = await loginInTempHome(emu.url, emu.org().accessToken);
    restore = login.restore;
    conn = (await Org.create({ aliasOrUsername: login.username })).getConnection();
    access = await readEffectiveAccess(conn, big.username);
  });
  after(async () => {
    await restore?.();
    await emu?.stop();
  });

  it('reads the whole profile from its own permission set records, entry by entry', async () => {
    emu.clearRequests();
    const read = await readProfileFromOrg(conn, big.profileName);
    expect(read.doc.fullName).to.equal(big.profileName);
    expect(read.doc.userLicense).to.equal('Salesforce');
    expect(read.unresolved).to.deep.equal([]);
    expectSame(flatten(read.doc.sections), expected(big, [big.profile]));
    expect(read.doc.sections.fieldPermissions!.length).to.be.greaterThan(3000);
    // profile-only settings aren't records: never read
    expect(read.doc.sections).to.not.have.property('layoutAssignments');
    expect(read.stats.roundTrips).to.equal(emu.requests.length);
  });

  it('pages through every result at any page size, with the same document', async () => {
    const org = emu.org();
    org.config.queryPageSize = 200;
    try {
      emu.clearRequests();
      const small = await readProfileFromOrg(conn, big.profileName);
      expect(emu.requests.filter((r) => /\/query\/01g/.test(r.path)).length).to.be.greaterThan(15);
      const normal = await readProfileFromOrg(conn, big.profileName);
      expect(small.doc).to.deep.equal(normal.doc);
    } finally {
      org.config.queryPageSize = 2000;
    }
  });

  it('merges profile, permission sets and the group (less muting) into the effective access', () => {
    const sets = big.assigned.permissionSets.map((n) => big.permissionSets[n]);
    const groupSets = big.groups.Billing_Sync.sets.map((n) => big.permissionSets[n]);
    expectSame(
      flatten(access.doc.sections),
      expected(big, [big.profile, ...sets, ...groupSets], [big.groups.Billing_Sync.muted]),
    );
    expect(access.user).to.include({
      username: big.username,
      profile: big.profileName,
      userLicense: 'Salesforce',
      isActive: true,
    });
    expect(access.sources.map((s) => s.source).sort()).to.deep.equal(
      [
        'group:Billing_Sync/Billing_Sync_Muting',
        'group:Billing_Sync/Group_Admin',
        'group:Billing_Sync/Group_Data',
        `profile:${big.profileName}`,
        'permissionSet:Reports_Access',
        'permissionSet:Sync_Extra',
      ].sort(),
    );
    // an unassigned set gives nothing
    expect(flatten(access.doc.sections).has('objectPermissions|Secret__c')).to.equal(false);
  });

  it('keeps the source of every grant, and what muting removed', () => {
    expect(sourcesOf(access, 'objectPermissions', 'Obj000__c', 'modifyAllRecords')).to.include(
      'permissionSet:Sync_Extra',
    );
    expect(sourcesOf(access, 'objectPermissions', 'Obj000__c', 'allowRead').sort()).to.deep.equal(
      [`profile:${big.profileName}`, 'permissionSet:Sync_Extra'].sort(),
    );
    expect(sourcesOf(access, 'objectPermissions', 'Invoice__c', 'modifyAllRecords')).to.deep.equal([
      'group:Billing_Sync/Group_Admin',
    ]);
    expect(sourcesOf(access, 'userPermissions', 'RunReports', 'enabled').sort()).to.deep.equal(
      [`profile:${big.profileName}`, 'permissionSet:Reports_Access'].sort(),
    );
    expect(sourcesOf(access, 'classAccesses', 'InvoiceService', 'enabled')).to.deep.equal([
      'group:Billing_Sync/Group_Data',
    ]);
    expect(sourcesOf(access, 'customMetadataTypeAccesses', 'Billing_Config__mdt', 'enabled')).to.deep.equal([
      'group:Billing_Sync/Group_Admin',
    ]);
    expect(access.muted.map((m) => `${m.section}|${m.name}|${m.grant}`).sort()).to.deep.equal([
      'fieldPermissions|Invoice__c.Total__c|editable',
      'userPermissions|ViewEncryptedData|enabled',
    ]);
  });

  it('converts to exactly the effective access minus what the license and UI rules remove, entry by entry', async () => {
    const rules = await readOrgRules(conn);
    expect(rules.licensedUserPermissions?.has('ViewSetup')).to.equal(true);
    expect(rules.licensedUserPermissions?.has('AuthorApex')).to.equal(false);
    const prepared = applyOrgRules(access.doc, rules);
    const result = convertToIntegrationPermissionSets(prepared.input, {
      name: 'Sync_Integration',
      licensedUserPermissions: rules.licensedUserPermissions,
    });
    const main = flatten(result.main.sections);
    const companion = flatten(result.companion?.sections ?? {});
    const omitted = new Map(
      result.omitted.map((o) => [
        `${o.section === 'tabSettings' || o.section === 'tabVisibilities' ? 'tabSettings' : o.section}|${o.name}`,
        o.reason,
      ]),
    );
    const UI = new Set(['applicationVisibilities', 'pageAccesses', 'tabSettings']);

    for (const [id, grants] of flatten(access.doc.sections)) {
      const [section, name] = id.split('|');
      let where: 'main' | 'companion' | 'omitted';
      if (UI.has(section)) where = 'omitted';
      else if (section === 'userPermissions') {
        where =
          INHERENT_USER_PERMISSIONS[name] || UI_ONLY_USER_PERMISSIONS[name]
            ? 'omitted'
            : rules.licensedUserPermissions!.has(name)
              ? 'main'
              : 'companion';
      } else where = 'main';
      if (where === 'omitted') {
        expect(omitted.has(id), `${id} omitted`).to.equal(true);
        expect(main.has(id) || companion.has(id), `${id} not written`).to.equal(false);
      } else {
        const got = (where === 'main' ? main : companion).get(id);
        expect(got, `${id} in ${where}`).to.not.equal(undefined);
        expect([...got!].sort(), id).to.deep.equal([...grants].sort());
      }
    }
    // nothing beyond the effective access
    const effective = flatten(access.doc.sections);
    for (const id of [...main.keys(), ...companion.keys()])
      expect(effective.has(id), `${id} granted by the user`).to.equal(true);
    expect(main.size + companion.size + [...omitted.keys()].filter((k) => effective.has(k)).length).to.equal(
      effective.size,
    );
  });

  it('reports user permissions the org does not know instead of writing them', () => {
    const prepared = applyOrgRules(
      {
        sections: {
          userPermissions: [
            { enabled: true, name: 'ViewSetup' },
            { enabled: true, name: 'UseFutureFeature2099' },
          ],
        },
      },
      { knownUserPermissions: new Map([['viewsetup', 'ViewSetup']]) },
    );
    expect(prepared.input.sections.userPermissions).to.deep.equal([{ enabled: true, name: 'ViewSetup' }]);
    expect(prepared.omitted.map((o) => o.name)).to.deep.equal(['UseFutureFeature2099']);
  });

  it('compares two users side by side with the reasons of every gap', async () => {
    const result = await compareInOrg(conn, { user: big.username }, { permissionSets: ['Group_Data'] });
    const byId = new Map(result.comparison.rows.map((r) => [`${r.section}|${r.name}`, r]));
    expect(byId.get('userPermissions|LightningExperienceUser')?.why?.kind).to.equal('ui');
    // high risk: left out of a conversion by default, a deliberate gap with the flag that keeps it
    expect(byId.get('userPermissions|AuthorApex')?.why).to.deep.equal({
      kind: 'high-risk',
      reason:
        'left out by default: it can write and run Apex, which runs in system mode (keep with --keep-permission AuthorApex)',
    });
    expect(byId.get('userPermissions|ManageUsers')?.why?.kind).to.equal('high-risk');
    expect(byId.get('userPermissions|ScheduleReports')?.why?.kind).to.equal('license');
    expect(byId.get('userPermissions|ApiEnabled')).to.equal(undefined); // both have it
    expect(byId.get('tabSettings|Obj001__c')?.why?.kind).to.equal('ui');
    expect(byId.get('objectPermissions|Obj002__c')?.why?.kind).to.equal('not-granted');
    // the muted field edit: the set alone has more than the user
    expect(byId.get('fieldPermissions|Invoice__c.Total__c')).to.include({ status: 'beyond' });
    expect(byId.get('fieldPermissions|Invoice__c.Total__c')?.beyond).to.deep.equal(['edit']);
    expect(byId.get('userPermissions|ViewEncryptedData')?.status).to.equal('beyond');
    expect(result.comparison.summary.field.compared).to.be.greaterThan(3000);
  });
});

describe('compareAccess', () => {
  it('marks lacks, beyond and partial differences per right', () => {
    const c = compareAccess(
      {
        label: 'old',
        sections: {
          objectPermissions: [
            {
              object: 'Account',
              allowRead: true,
              allowEdit: true,
              allowCreate: false,
              allowDelete: false,
              modifyAllRecords: false,
              viewAllFields: false,
              viewAllRecords: false,
            },
          ],
          tabVisibilities: [{ tab: 'standard-Account', visibility: 'DefaultOn' }],
        },
      },
      {
        label: 'new',
        sections: {
          objectPermissions: [{ object: 'Account', allowRead: true, allowCreate: true }],
          tabSettings: [{ tab: 'standard-Account', visibility: 'Available' }],
          userPermissions: [{ enabled: true, name: 'ViewSetup' }],
        },
      },
      { includeSame: true },
    );
    const rows = Object.fromEntries(c.rows.map((r) => [r.name, r]));
    expect(rows.Account).to.include({ status: 'differs' });
    expect(rows.Account.lacks).to.deep.equal(['edit']);
    expect(rows.Account.beyond).to.deep.equal(['create']);
    expect(rows['standard-Account'].lacks).to.deep.equal(['visible']);
    expect(rows.ViewSetup).to.include({ status: 'beyond' });
    expect(c.gapsByKind).to.deep.equal({ 'not-granted': 2 });
  });
});
