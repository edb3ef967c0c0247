import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  HIGH_RISK_USER_PERMISSIONS,
  INHERENT_USER_PERMISSIONS,
  PSL_USER_PERMISSIONS,
  SECTION_RULES,
  UI_ONLY_USER_PERMISSIONS,
} from '../../../src/permissions/license-rules.js';
import { PERMISSION_SET_SECTIONS } from '../../../src/permissions/model.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const evidence = join(
  root,
  '..',
  'shared',
  'corpus',
  'permsets',
  'Epic-ATS__NightlyBackup__TwoCloudNineIntegrationUser.permissionset-meta.xml',
);

describe('license rules', () => {
  it('the PSL table is exactly the user permissions of the retrieved integration permission set', function () {
    if (!existsSync(evidence)) this.skip();
    const xml = readFileSync(evidence, 'utf8');
    expect(xml).to.contain('<license>SalesforceAPIIntegrationPsl</license>');
    const names = [...xml.matchAll(/<userPermissions>\s*<enabled>true<\/enabled>\s*<name>([^<]+)<\/name>/g)].map(
      (m) => m[1],
    );
    expect(names).to.have.length(59);
    expect([...PSL_USER_PERMISSIONS].sort()).to.deep.equal(names.sort());
  });

  it('keeps the tables disjoint where a permission can only go one way', () => {
    for (const name of Object.keys(UI_ONLY_USER_PERMISSIONS)) {
      expect(PSL_USER_PERMISSIONS.has(name), name).to.equal(false);
      expect(INHERENT_USER_PERMISSIONS[name], name).to.equal(undefined);
    }
    for (const name of Object.keys(INHERENT_USER_PERMISSIONS))
      expect(PSL_USER_PERMISSIONS.has(name), name).to.equal(false);
  });

  it('flags the high-risk permissions the issue names', () => {
    for (const name of [
      'ModifyAllData',
      'ViewAllData',
      'ManageUsers',
      'AuthorApex',
      'CustomizeApplication',
      'ManageProfilesPermissionsets',
      'AssignPermissionSets',
    ]) {
      expect(HIGH_RISK_USER_PERMISSIONS[name], name).to.be.a('string');
    }
  });

  it('routes every permission set section somewhere', () => {
    const routed = new Set<string>([
      ...SECTION_RULES.licensed,
      ...SECTION_RULES.companion,
      ...SECTION_RULES.ui,
      'userPermissions',
    ]);
    for (const section of Object.keys(PERMISSION_SET_SECTIONS)) expect(routed.has(section), section).to.equal(true);
  });
});
