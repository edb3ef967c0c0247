import { expect } from 'chai';
import { hasExplicitTargetOrg, targetOrgFromArgv } from '../../../src/cli/target-org.js';

describe('targetOrgFromArgv', () => {
  it('reads every spelling oclif accepts', () => {
    expect(targetOrgFromArgv(['--target-org', 'prod'])).to.equal('prod');
    expect(targetOrgFromArgv(['--target-org=prod'])).to.equal('prod');
    expect(targetOrgFromArgv(['-o', 'prod'])).to.equal('prod');
    expect(targetOrgFromArgv(['-o=prod'])).to.equal('prod');
    expect(targetOrgFromArgv(['-oprod'])).to.equal('prod');
    expect(targetOrgFromArgv(['--user', 'x', '-o', 'prod', '--json'])).to.equal('prod');
  });

  it('is undefined when the org is left to the configured default', () => {
    expect(targetOrgFromArgv(['--source-file', 'a.profile-meta.xml', '--output-dir', 'out'])).to.equal(undefined);
    expect(targetOrgFromArgv(['--', '-o', 'x'])).to.equal(undefined);
    expect(hasExplicitTargetOrg(['--source-file', 'x'])).to.equal(false);
    expect(hasExplicitTargetOrg(['--source-file', 'x', '--target-org', 'y'])).to.equal(true);
  });
});
