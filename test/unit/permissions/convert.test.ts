import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  convertToIntegrationPermissionSets,
  isValidApiName,
  permissionSetNameFromProfile,
} from '../../../src/permissions/convert.js';
import { INTEGRATION_PSL, type Entry } from '../../../src/permissions/model.js';
import { readProfileFile, type ProfileDoc } from '../../../src/profile/read-profile.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'profiles');

const keys = (entries: Entry[] | undefined, key: string): string[] => (entries ?? []).map((e) => String(e[key]));

describe('convertToIntegrationPermissionSets', () => {
  let quirks: ProfileDoc;
  before(async () => {
    quirks = await readProfileFile(join(fixtures, 'Quirks.profile-meta.xml'));
  });

  it('puts what the license carries in the licensed set', () => {
    const { main } = convertToIntegrationPermissionSets(quirks, { name: 'Sync_Integration' });
    expect(main.fullName).to.equal('Sync_Integration');
    expect(main.label).to.equal('Sync Integration');
    expect(main.license).to.equal(INTEGRATION_PSL);
    expect(keys(main.sections.classAccesses, 'apexClass')).to.deep.equal(['%%%NAMESPACE%%%SyncService']);
    expect(keys(main.sections.customMetadataTypeAccesses, 'name')).to.deep.equal(['Sync_Setting__mdt']);
    expect(keys(main.sections.customPermissions, 'name')).to.deep.equal(['Can_Sync']);
    expect(keys(main.sections.customSettingAccesses, 'name')).to.deep.equal(['Sync_Config__c']);
    expect(keys(main.sections.externalDataSourceAccesses, 'externalDataSource')).to.deep.equal(['Legacy_ERP']);
    expect(keys(main.sections.flowAccesses, 'flow')).to.deep.equal(['Sync_Flow']);
    expect(main.sections.recordTypeVisibilities).to.deep.equal([{ recordType: 'Account.Partner', visible: true }]);
    expect(keys(main.sections.userPermissions, 'name')).to.deep.equal(['ModifyAllData', 'RunReports']);
    expect(main.sections.tabSettings).to.equal(undefined);
    expect(main.sections.pageAccesses).to.equal(undefined);
    expect(main.sections.applicationVisibilities).to.equal(undefined);
  });

  it('fills required object and field flags, maps legacy fieldLevelSecurities, drops entries that grant nothing', () => {
    const { main } = convertToIntegrationPermissionSets(quirks, { name: 'Sync_Integration' });
    expect(main.sections.objectPermissions).to.deep.equal([
      {
        allowCreate: true,
        allowDelete: false,
        allowEdit: true,
        allowRead: true,
        modifyAllRecords: false,
        object: 'Account',
        viewAllFields: false,
        viewAllRecords: false,
      },
      {
        allowCreate: false,
        allowDelete: false,
        allowEdit: false,
        allowRead: true,
        modifyAllRecords: false,
        object: 'Contact',
        viewAllFields: false,
        viewAllRecords: false,
      },
    ]);
    expect(main.sections.fieldPermissions).to.deep.equal([
      { editable: true, field: 'Account.Industry', readable: true },
      { editable: false, field: 'Account.Legacy__c', readable: true },
      { editable: false, field: 'Account.Rating', readable: true },
      { editable: false, field: 'Contact.Email', readable: true },
    ]);
  });

  it('puts user permissions the license is not known to carry in the companion, with a warning', () => {
    const result = convertToIntegrationPermissionSets(quirks, { name: 'Sync_Integration' });
    expect(result.companion?.fullName).to.equal('Sync_Integration_Companion');
    expect(result.companion?.license).to.equal(undefined);
    expect(keys(result.companion?.sections.userPermissions, 'name')).to.deep.equal(['AuthorApex']);
    expect(keys(result.companion?.sections.servicePresenceStatusAccesses, 'servicePresenceStatus')).to.deep.equal([
      'Available_for_Sync',
    ]);
    expect(result.warnings.some((w) => w.includes('not known to be carried') && w.includes('AuthorApex'))).to.equal(
      true,
    );
  });

  it('takes the licensed user permissions from the caller when given', () => {
    const result = convertToIntegrationPermissionSets(quirks, {
      name: 'S',
      licensedUserPermissions: new Set(['AuthorApex']),
    });
    expect(keys(result.main.sections.userPermissions, 'name')).to.deep.equal(['AuthorApex']);
    expect(keys(result.companion?.sections.userPermissions, 'name')).to.deep.equal(['ModifyAllData', 'RunReports']);
  });

  it('omits UI access, profile-only settings, license and inherent permissions with reasons', () => {
    const { omitted, warnings } = convertToIntegrationPermissionSets(quirks, { name: 'S' });
    const bySection = (s: string): string[] => omitted.filter((o) => o.section === s).map((o) => o.name);
    expect(bySection('tabVisibilities')).to.deep.equal(['standard-Account', 'standard-Contact']);
    expect(bySection('applicationVisibilities')).to.deep.equal(['%%%NAMESPACE%%%Sales_App']);
    expect(bySection('pageAccesses')).to.deep.equal(['SyncStatus']);
    expect(bySection('layoutAssignments')).to.deep.equal([
      'Account-Account Layout',
      'Account-Partner Layout (Account.Partner)',
    ]);
    expect(bySection('loginHours')).to.deep.equal(['loginHours']);
    expect(bySection('loginIpRanges')).to.deep.equal(['10.0.0.0-10.0.0.255']);
    expect(bySection('categoryGroupVisibilities')).to.deep.equal(['Regions']);
    expect(bySection('userLicense')).to.deep.equal(['userLicense']);
    expect(bySection('custom')).to.deep.equal(['custom']);
    expect(bySection('userPermissions')).to.deep.equal(['ApiEnabled', 'LightningExperienceUser']);
    for (const o of omitted) expect(o.reason, `${o.section} ${o.name}`).to.be.a('string').and.not.empty;
    expect(warnings.some((w) => w.includes('login hours'))).to.equal(true);
    expect(warnings.some((w) => w.includes('login IP ranges'))).to.equal(true);
  });

  it('with includeUi moves UI access to the companion as tab settings, without default flags', () => {
    const { companion, omitted } = convertToIntegrationPermissionSets(quirks, { name: 'S', includeUi: true });
    expect(companion?.sections.tabSettings).to.deep.equal([
      { tab: 'standard-Account', visibility: 'Visible' },
      { tab: 'standard-Contact', visibility: 'Available' },
    ]);
    expect(companion?.sections.applicationVisibilities).to.deep.equal([
      { application: '%%%NAMESPACE%%%Sales_App', visible: true },
    ]);
    expect(keys(companion?.sections.pageAccesses, 'apexPage')).to.deep.equal(['SyncStatus']);
    expect(keys(companion?.sections.userPermissions, 'name')).to.deep.equal(['AuthorApex', 'LightningExperienceUser']);
    expect(omitted.map((o) => o.section)).to.not.include.members(['tabVisibilities', 'pageAccesses']);
  });

  it('flags high-risk permissions and leaves out excluded ones', () => {
    const flagged = convertToIntegrationPermissionSets(quirks, { name: 'S' });
    expect(flagged.warnings.filter((w) => w.startsWith('High-risk permission'))).to.have.length(2);
    const excluded = convertToIntegrationPermissionSets(quirks, {
      name: 'S',
      excludePermissions: ['modifyalldata', 'Account.Industry', 'NoSuchThing'],
    });
    expect(keys(excluded.main.sections.userPermissions, 'name')).to.deep.equal(['RunReports']);
    expect(keys(excluded.main.sections.fieldPermissions, 'field')).to.not.include('Account.Industry');
    expect(excluded.omitted.filter((o) => o.reason.includes('--exclude-permission')).map((o) => o.name)).to.deep.equal([
      'Account.Industry',
      'ModifyAllData',
    ]);
    expect(excluded.warnings.some((w) => w.includes('matched nothing') && w.includes('nosuchthing'))).to.equal(true);
    expect(excluded.warnings.some((w) => w.includes('High-risk permission ModifyAllData'))).to.equal(false);
  });

  it('never grants what the input did not grant', () => {
    const result = convertToIntegrationPermissionSets(quirks, { name: 'S', includeUi: true });
    const granted = new Set<string>();
    for (const [section, entries] of Object.entries(quirks.sections)) {
      for (const e of entries ?? [])
        for (const [f, v] of Object.entries(e)) if (v === true) granted.add(`${section}|${f}`);
    }
    const source: Record<string, string> = { tabSettings: 'tabVisibilities' };
    for (const doc of [result.main, result.companion!]) {
      for (const [section, entries] of Object.entries(doc.sections)) {
        for (const e of entries ?? []) {
          for (const [f, v] of Object.entries(e)) {
            if (v !== true) continue;
            const from = source[section] ?? section;
            const legacy = section === 'fieldPermissions' && f === 'readable' && e.field === 'Account.Legacy__c';
            expect(legacy || granted.has(`${from}|${f}`), `${section}.${f}`).to.equal(true);
          }
        }
      }
    }
  });

  it('warns about object permissions missing what they depend on instead of adding it', () => {
    const input: ProfileDoc = {
      sections: { objectPermissions: [{ object: 'Case', allowEdit: true, allowRead: false }] },
    };
    const result = convertToIntegrationPermissionSets(input, { name: 'S' });
    expect(result.main.sections.objectPermissions?.[0].allowRead).to.equal(false);
    expect(result.warnings.some((w) => w.includes('depend on') && w.includes('Case'))).to.equal(true);
  });

  it('warns about field permissions editable but not readable instead of adding read', () => {
    const input: ProfileDoc = {
      sections: {
        fieldPermissions: [
          { field: 'Case.Reason', editable: true, readable: false },
          { field: 'Case.Origin', editable: true, readable: true },
        ],
      },
    };
    const result = convertToIntegrationPermissionSets(input, { name: 'S' });
    expect(result.main.sections.fieldPermissions?.find((e) => e.field === 'Case.Reason')?.readable).to.equal(false);
    const warning = result.warnings.find((w) => w.includes('editable but not readable'));
    expect(warning).to.include('Case.Reason');
    expect(warning).to.not.include('Case.Origin');
  });

  it('merges a key listed twice and reports unknown elements', () => {
    const input: ProfileDoc = {
      sections: {
        fieldPermissions: [{ field: 'A.B', readable: true, editable: false }],
        fieldLevelSecurities: [{ field: 'A.B', editable: true, hidden: false }],
        somethingNew: [{ name: 'X', enabled: true }],
      },
    };
    const result = convertToIntegrationPermissionSets(input, { name: 'S' });
    expect(result.main.sections.fieldPermissions).to.deep.equal([{ editable: true, field: 'A.B', readable: true }]);
    expect(result.omitted).to.deep.equal([
      { section: 'somethingNew', name: 'X', reason: 'not a permission set element; nothing to carry it to' },
    ]);
  });

  it('writes no companion when nothing needs one, and does not change its input', async () => {
    const input = await readProfileFile(join(fixtures, 'Minimal.profile'));
    const copy = structuredClone(input);
    const result = convertToIntegrationPermissionSets(input, { name: 'Sync_User_Integration', label: 'Sync' });
    expect(result.companion).to.equal(undefined);
    expect(result.main.label).to.equal('Sync');
    expect(result.main.description).to.contain('Sync User');
    expect(input).to.deep.equal(copy);
    expect(result.counts).to.deep.equal({
      objectPermissions: { carried: 1, companion: 0, omitted: 0 },
      userPermissions: { carried: 1, companion: 0, omitted: 0 },
    });
  });
});

describe('permission set API names', () => {
  it('derives valid API names from profile names', () => {
    expect(permissionSetNameFromProfile('Custom: Sales Profile')).to.equal('Custom_Sales_Profile_Integration');
    expect(permissionSetNameFromProfile('Minimum Access - API Only Integrations')).to.equal(
      'Minimum_Access_API_Only_Integrations_Integration',
    );
    expect(permissionSetNameFromProfile('2cloudnine Ünïcode')).to.equal('P_2cloudnine_Unicode_Integration');
    const long = permissionSetNameFromProfile('x'.repeat(200));
    expect(long.length + '_Companion'.length).to.be.at.most(80);
    for (const n of ['Custom: Sales Profile', '__a__', 'ß', long])
      expect(isValidApiName(permissionSetNameFromProfile(n)), n).to.equal(true);
    expect(isValidApiName('a__b')).to.equal(false);
    expect(isValidApiName('1a')).to.equal(false);
    expect(isValidApiName('a_')).to.equal(false);
  });
});
