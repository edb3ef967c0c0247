import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  HIGH_RISK_USER_PERMISSION_RULES,
  INHERENT_USER_PERMISSIONS,
  PSL_USER_PERMISSIONS_TABLE,
  RULE_SOURCES,
  UI_ONLY_USER_PERMISSIONS,
} from '../../../src/permissions/license-rules.js';
import {
  builtInLabel,
  labelSource,
  labelsFromDescribe,
  permissionLabel,
  withLabel,
} from '../../../src/permissions/labels.js';
import { convertToIntegrationPermissionSets } from '../../../src/permissions/convert.js';
import { enabledEntry } from '../../../src/permissions/entries.js';
import { readProfileFile } from '../../../src/profile/read-profile.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// a real profile of an API user from a public project: enables EnableNotifications (Send Outbound Messages)
const apiUserProfile = join(root, '..', 'shared', 'corpus', 'profiles', 'Appirio__age__Appirio API User.profile');

describe('license tables: every entry cites its source', () => {
  it('each entry of every table names a source that RULE_SOURCES describes (where and what)', () => {
    const cited: Array<[string, string]> = [
      ...Object.entries(PSL_USER_PERMISSIONS_TABLE).map(([n, s]) => [n, s] as [string, string]),
      ...Object.entries(INHERENT_USER_PERMISSIONS).map(([n, r]) => [n, r.source] as [string, string]),
      ...Object.entries(UI_ONLY_USER_PERMISSIONS).map(([n, r]) => [n, r.source] as [string, string]),
      ...Object.entries(HIGH_RISK_USER_PERMISSION_RULES).flatMap(([n, r]) =>
        r.sources.map((s) => [n, s] as [string, string]),
      ),
    ];
    for (const [name, source] of cited) {
      const described = (RULE_SOURCES as Record<string, { where: string; what: string } | undefined>)[source];
      expect(described, `${name}: ${source}`).to.not.equal(undefined);
      expect(described!.where, source).to.not.equal('');
      expect(described!.what, source).to.not.equal('');
    }
  });

  it('a permission is UI-only only where a source says what it does (never NONE)', () => {
    for (const [name, rule] of Object.entries(UI_ONLY_USER_PERMISSIONS)) expect(rule.source, name).to.not.equal('NONE');
  });

  it('EnableNotifications (Send Outbound Messages) and the four permissions no source describes are not UI-only', () => {
    for (const name of [
      'EnableNotifications',
      'CanUseNewDashboardBuilder',
      'ChangeDashboardColors',
      'SelectFilesFromSalesforce',
      'ViewHelpLink',
    ]) {
      expect(UI_ONLY_USER_PERMISSIONS[name], name).to.equal(undefined);
    }
  });

  it('every permission the tables name has a sourced label, except the one no source labels', () => {
    const names = new Set([
      ...Object.keys(PSL_USER_PERMISSIONS_TABLE),
      ...Object.keys(INHERENT_USER_PERMISSIONS),
      ...Object.keys(UI_ONLY_USER_PERMISSIONS),
      ...Object.keys(HIGH_RISK_USER_PERMISSION_RULES),
    ]);
    const unlabelled = [...names].filter((n) => !builtInLabel(n));
    expect(unlabelled).to.deep.equal(['UpdateWithInactiveOwner']);
    expect(HIGH_RISK_USER_PERMISSION_RULES.UpdateWithInactiveOwner.sources).to.deep.equal(['NONE']);
  });
});

describe('permission labels', () => {
  it('name a permission as an admin sees it in Setup, with the label source', () => {
    expect(withLabel('EnableNotifications')).to.equal('EnableNotifications (Send Outbound Messages)');
    expect(withLabel('enablenotifications')).to.equal('enablenotifications (Send Outbound Messages)');
    expect(withLabel('TransferAnyEntity')).to.equal('TransferAnyEntity (Transfer Record)');
    const label = builtInLabel('InstallPackaging');
    expect(label?.label).to.equal('Download AppExchange Packages');
    expect(labelSource(label!.source)?.where).to.contain('https://developer.salesforce.com/docs/');
  });

  it('leave a name alone when no source labels it, or the label says the same', () => {
    expect(withLabel('UpdateWithInactiveOwner')).to.equal('UpdateWithInactiveOwner');
    expect(withLabel('Not_A_Permission')).to.equal('Not_A_Permission');
    expect(withLabel('ApiEnabled')).to.equal('ApiEnabled (API Enabled)');
  });

  it("prefer the org's own label (translated, or renamed in a later release) from the PermissionSet describe", () => {
    const org = labelsFromDescribe([
      { name: 'PermissionsEnableNotifications', label: 'アウトバウンドメッセージの送信', type: 'boolean' },
      { name: 'Name', label: 'Name', type: 'string' },
      { name: 'PermissionSetGroupId', label: 'Permission Set Group ID', type: 'reference' },
    ]);
    expect([...org.keys()]).to.deep.equal(['enablenotifications']);
    expect(permissionLabel('EnableNotifications', org)).to.equal('アウトバウンドメッセージの送信');
    expect(withLabel('RunReports', org)).to.equal('RunReports (Run Reports)');
  });
});

describe('EnableNotifications is Send Outbound Messages: carried, not dropped', () => {
  it('is carried from a profile (to the companion set offline: the PSL table does not list it)', () => {
    const input = { sections: { userPermissions: [enabledEntry('userPermissions', 'EnableNotifications')] } };
    const result = convertToIntegrationPermissionSets(input, { name: 'Outbound_Integration' });
    expect(result.omitted.map((o) => o.name)).to.not.include('EnableNotifications');
    expect(result.companion?.sections.userPermissions?.map((e) => e.name)).to.deep.equal(['EnableNotifications']);
    // the warning naming it shows what an admin sees in Setup
    expect(result.warnings.join('\n')).to.contain('EnableNotifications (Send Outbound Messages)');
  });

  it('is carried in the licensed set when the org says the license allows it', () => {
    const input = { sections: { userPermissions: [enabledEntry('userPermissions', 'EnableNotifications')] } };
    const result = convertToIntegrationPermissionSets(input, {
      name: 'Outbound_Integration',
      licensedUserPermissions: new Set(['EnableNotifications']),
    });
    expect(result.main.sections.userPermissions?.map((e) => e.name)).to.deep.equal(['EnableNotifications']);
  });

  it('is carried from a real API user profile of the corpus', async function () {
    if (!existsSync(apiUserProfile)) this.skip();
    const profile = await readProfileFile(apiUserProfile);
    expect(
      profile.sections.userPermissions?.some((e) => e.name === 'EnableNotifications' && e.enabled === true),
    ).to.equal(true);
    const result = convertToIntegrationPermissionSets(profile, { name: 'Appirio_Integration' });
    const carried = [result.main, result.companion]
      .flatMap((d) => d?.sections.userPermissions ?? [])
      .map((e) => e.name);
    expect(carried).to.include('EnableNotifications');
    expect(result.omitted.filter((o) => o.name === 'EnableNotifications')).to.deep.equal([]);
  });

  it('labels omitted user permissions and high-risk warnings', () => {
    const input = {
      sections: {
        userPermissions: ['LightningExperienceUser', 'ModifyAllData'].map((n) => enabledEntry('userPermissions', n)),
      },
    };
    const result = convertToIntegrationPermissionSets(input, { name: 'Labelled' });
    expect(result.omitted).to.deep.include({
      section: 'userPermissions',
      name: 'LightningExperienceUser',
      label: 'Lightning Experience User',
      reason: result.omitted.find((o) => o.name === 'LightningExperienceUser')!.reason,
    });
    expect(result.warnings.some((w) => w.includes('ModifyAllData (Modify All Data)'))).to.equal(true);
  });
});
