import { expect } from 'chai';
import {
  apiNameProblem,
  checkAlias,
  checkAppName,
  checkPermissionSetName,
  checkUsername,
} from '../../../src/org-api/input-rules.js';

describe('input rules (Salesforce names and lengths, checked offline)', () => {
  it('API names: letters, digits, single underscores, begins with a letter, no trailing underscore, a maximum length', () => {
    expect(apiNameProblem('Marketo_Integration', 80)).to.equal(undefined);
    expect(apiNameProblem('bad name!', 80)).to.equal('it contains a space, "!"');
    expect(apiNameProblem('1App', 80)).to.equal('it must begin with a letter');
    expect(apiNameProblem('A__B', 80)).to.equal('it contains two consecutive underscores');
    expect(apiNameProblem('A_', 80)).to.equal('it ends with an underscore');
    expect(apiNameProblem('A'.repeat(81), 80)).to.equal('it has 81 characters, more than 80');
  });
  it('named errors with the flag to fix', () => {
    expect(checkPermissionSetName('bad name!')?.name).to.equal('InvalidPermissionSetNameError');
    expect(checkAppName('bad name!', '--connect')?.actions?.join(' ')).to.contain('--connect');
    expect(checkAlias('waytoolongalias')?.name).to.equal('InvalidAliasError');
    expect(checkAlias('mktosync')).to.equal(undefined);
    expect(checkUsername(`${'a'.repeat(75)}@acme.com`)?.name).to.equal('UsernameTooLongError');
    expect(checkUsername('not a username')?.name).to.equal('InvalidUsernameError');
  });
});
