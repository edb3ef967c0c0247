import { expect } from 'chai';
import { HIGH_RISK_USER_PERMISSIONS } from '../../../src/permissions/license-rules.js';
import {
  PRIVILEGED_BY_SALESFORCE,
  checkKeepAndExclude,
  highRiskBlock,
  highRiskReason,
  leftOutBlocks,
  isHighRiskOmission,
  leaveOutHighRisk,
} from '../../../src/permissions/least-privilege.js';
import { convertToIntegrationPermissionSets, type ConversionInput } from '../../../src/permissions/convert.js';
import { omissionKind } from '../../../src/compare/explain.js';

const perm = (name: string, enabled = true): { name: string; enabled: boolean } => ({ name, enabled });
/** what a System Administrator profile grants, in part */
const admin = (): ConversionInput => ({
  fullName: 'Admin',
  sections: {
    userPermissions: [
      perm('ModifyAllData'),
      perm('ViewAllData'),
      perm('ManageUsers'),
      perm('ModifyMetadata'),
      perm('CustomizeApplication'),
      perm('AuthorApex'),
      perm('RunReports'),
      perm('ApiEnabled'),
      perm('ViewSetup'),
      perm('ResetPasswords', false),
    ],
    objectPermissions: [{ object: 'Account', allowRead: true }],
  },
});

describe('least privilege: high-risk permissions left out of copied access', () => {
  it("Salesforce's own privileged four are in the high-risk table", () => {
    for (const name of PRIVILEGED_BY_SALESFORCE) expect(HIGH_RISK_USER_PERMISSIONS[name], name).to.be.a('string');
  });

  it('leaves out every enabled high-risk permission by default, and nothing else', () => {
    const input = admin();
    const { input: out, omitted, outcome } = leaveOutHighRisk(input);
    expect((out.sections.userPermissions ?? []).map((e) => e.name)).to.deep.equal([
      'RunReports',
      'ApiEnabled',
      'ViewSetup',
      'ResetPasswords',
    ]);
    expect(out.sections.objectPermissions).to.equal(input.sections.objectPermissions);
    expect(outcome.leftOut.map((p) => [p.name, p.privilegedBySalesforce])).to.deep.equal([
      ['AuthorApex', true],
      ['CustomizeApplication', true],
      ['ManageUsers', false],
      ['ModifyAllData', true],
      ['ModifyMetadata', false],
      ['ViewAllData', true],
    ]);
    expect(omitted.every(isHighRiskOmission)).to.equal(true);
    expect(omitted.find((o) => o.name === 'ManageUsers')?.reason).to.equal(
      'left out by default: it can create, edit and deactivate users and reset passwords (keep with --keep-permission ManageUsers)',
    );
    // pure
    expect(input.sections.userPermissions).to.have.length(10);
  });

  it('keeps what --keep-permission names (any case), and reports names that are not high risk or not granted', () => {
    const { input, outcome } = leaveOutHighRisk(admin(), { keep: ['modifyalldata', 'RunReports', 'ManageSharing'] });
    expect((input.sections.userPermissions ?? []).map((e) => e.name)).to.include('ModifyAllData');
    expect(outcome.kept).to.deep.equal(['ModifyAllData']);
    expect(outcome.notHighRisk).to.deep.equal(['RunReports']);
    expect(outcome.notGranted).to.deep.equal(['ManageSharing']);
    expect(outcome.leftOut.map((p) => p.name)).to.not.include('ModifyAllData');
  });

  it('leaves excluded names to the converter, which reports them as excluded', () => {
    const policy = leaveOutHighRisk(admin(), { exclude: ['ModifyAllData'] });
    expect(policy.outcome.leftOut.map((p) => p.name)).to.not.include('ModifyAllData');
    const converted = convertToIntegrationPermissionSets(policy.input, {
      name: 'X',
      excludePermissions: ['ModifyAllData'],
    });
    expect(converted.omitted.find((o) => o.name === 'ModifyAllData')?.reason).to.equal(
      'excluded by --exclude-permission',
    );
    expect(converted.warnings.some((w) => w.includes('matched nothing'))).to.equal(false);
  });

  it('compare recognises the omission as a deliberate high-risk gap', () => {
    expect(
      omissionKind({ section: 'userPermissions', name: 'ModifyAllData', reason: highRiskReason('ModifyAllData') }),
    ).to.equal('high-risk');
    expect(omissionKind({ section: 'userPermissions', name: 'ModifyAllData', reason: 'something else' })).to.not.equal(
      'high-risk',
    );
  });

  it("the converter doesn't warn one by one about what was kept on request; it still does for the rest", () => {
    const input: ConversionInput = { sections: { userPermissions: [perm('ModifyAllData'), perm('ViewAllData')] } };
    const converted = convertToIntegrationPermissionSets(input, { name: 'X', acknowledgedHighRisk: ['modifyalldata'] });
    expect(
      converted.warnings.filter((w) => w.startsWith('High-risk permission')).map((w) => w.split(' ')[2]),
    ).to.deep.equal(['ViewAllData']);
  });

  it('says it in one short block, whatever the count', () => {
    const manyPerms = Object.keys(HIGH_RISK_USER_PERMISSIONS).map((n) => perm(n));
    const { outcome } = leaveOutHighRisk(
      { sections: { userPermissions: manyPerms } },
      { keep: ['ViewAllData', 'Nonsense'] },
    );
    const block = highRiskBlock(outcome);
    expect(block.length).to.be.lessThan(16);
    expect(block[0]).to.match(/^Least privilege: \d+ high-risk user permissions/);
    expect(block.join('\n'))
      .to.contain('Privileged per Salesforce: AuthorApex, CustomizeApplication, ModifyAllData')
      .and.contain('--keep-permission <name>');
    expect(block).to.include('Kept on request (--keep-permission): ViewAllData.');
    expect(block.some((l) => l.includes('Nonsense'))).to.equal(true);
    for (const line of block.slice(1, -3)) expect(line.length, line).to.be.at.most(80);
    expect(highRiskBlock({ leftOut: [], kept: [], notHighRisk: [], notGranted: [] })).to.deep.equal([]);
  });

  it('gives the blocks a command prints under their headers (none when nothing was left out)', () => {
    const { outcome } = leaveOutHighRisk(admin(), {});
    expect(leftOutBlocks(outcome, undefined)).to.deep.equal([
      { header: 'Left out: high-risk permissions', lines: highRiskBlock(outcome) },
    ]);
    expect(leftOutBlocks({ leftOut: [], kept: [], notHighRisk: [], notGranted: [] }, undefined)).to.deep.equal([]);
  });

  it('refuses a name both kept and excluded', () => {
    expect(() => checkKeepAndExclude(['ModifyAllData'], ['modifyalldata'])).to.throw(
      /named both to keep and to exclude: ModifyAllData/,
    );
    expect(() => checkKeepAndExclude(['ModifyAllData'], ['ViewAllData'])).to.not.throw();
  });
});
