import { expect } from 'chai';
import { sandboxNameFromHost } from '../../../src/environments/org-environment.js';
import { scratchSuffix, usernameFor } from '../../../src/environments/resolve-username.js';
import { declaresDefinitionSchema } from '../../../src/create/definitions.js';

const ORG = '00DHu0000000001AAA';

describe('environments: sandbox names and usernames per org', () => {
  it('reads the sandbox name from a My Domain sandbox host only', () => {
    expect(sandboxNameFromHost('https://acme--uat.sandbox.my.salesforce.com')).to.equal('uat');
    expect(sandboxNameFromHost('Acme-Corp--FullCopy.sandbox.my.salesforce.com')).to.equal('fullcopy'); // host names are case-insensitive: read lower-cased
    expect(sandboxNameFromHost('https://acme.my.salesforce.com')).to.equal(undefined);
    expect(sandboxNameFromHost('https://acme--pkg.vf.force.com'), 'a package domain is no sandbox').to.equal(undefined);
    expect(sandboxNameFromHost('http://127.0.0.1:4000')).to.equal(undefined);
  });

  it('production keeps the username; a sandbox appends its name; a scratch org a suffix derived from its id', () => {
    expect(usernameFor('etl@acme.com', { kind: 'production', orgId: ORG }).username).to.equal('etl@acme.com');
    expect(usernameFor('etl@acme.com', { kind: 'sandbox', orgId: ORG, sandboxName: 'UAT' }).username).to.equal(
      'etl@acme.com.uat',
    );
    const scratch = usernameFor('etl@acme.com', { kind: 'scratch', orgId: ORG });
    expect(scratch.username).to.equal(`etl@acme.com.${scratchSuffix(ORG)}`);
    expect(scratchSuffix(ORG))
      .to.equal(scratchSuffix(ORG.slice(0, 15)))
      .and.not.equal(scratchSuffix('00DHu0000000002AAA'));
  });

  it('a username already in the sandbox form is kept; overrides win: explicit per org, then the suffix', () => {
    const env = { kind: 'sandbox' as const, orgId: ORG, sandboxName: 'uat' };
    expect(usernameFor('etl@acme.com.uat', env).username).to.equal('etl@acme.com.uat');
    expect(usernameFor('etl@acme.com', env, { suffix: 'qa1' })).to.include({
      username: 'etl@acme.com.qa1',
      rule: 'suffix-override',
    });
    expect(usernameFor('etl@acme.com', env, { suffix: 'qa1', usernames: { UAT: 'etl-uat@acme.com' } })).to.include({
      username: 'etl-uat@acme.com',
      rule: 'explicit',
    });
    expect(
      usernameFor(
        'etl@acme.com',
        { kind: 'production', orgId: ORG },
        { usernames: { [ORG.slice(0, 15)]: 'x@acme.com' } },
      ).username,
    ).to.equal('x@acme.com');
  });

  it('a sandbox whose name is unknown, or a username over 80 characters, stops with an action', () => {
    expect(() => usernameFor('etl@acme.com', { kind: 'sandbox', orgId: ORG }))
      .to.throw()
      .with.property('name', 'SandboxNameUnknownError');
    expect(() => usernameFor(`${'a'.repeat(70)}@acme.com`, { kind: 'sandbox', orgId: ORG, sandboxName: 'uat' }))
      .to.throw()
      .with.property('name', 'UsernameTooLongError');
  });

  it('a folder file is a definition when its $schema names the definition schema', () => {
    expect(
      declaresDefinitionSchema({ $schema: '../definition-schema/integration-user-definition.schema.json' }),
    ).to.equal(true);
    expect(declaresDefinitionSchema({ $schema: 'http://json-schema.org/draft-07/schema#' })).to.equal(false);
    expect(declaresDefinitionSchema({ username: 'x@acme.com' })).to.equal(false);
  });
});
