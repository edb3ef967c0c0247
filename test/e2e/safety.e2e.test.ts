/**
 * Safe by default, through the real sf against the emulator: password refuses anyone but an active API-only user
 * (never the running user), and create's input checks fail before the first org write (the request log shows none).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { EmulatedOrg } from '@sf-integration-user/org-emulator';
import { orgWrites } from '../helpers/requests.js';
import { startSfSession, type SfResult, type SfSession } from './harness.js';

const INT = 'legacy.etl@acme.com.integration';
const PERSON = 'jane.doe@acme.com';
const NEW = 'marketo.sync@acme.com.integration';

describe('safe by default through the real sf', function () {
  let s: SfSession;
  let org: EmulatedOrg;
  let project: string;

  before(async () => {
    s = await startSfSession({
      seed: {
        users: [
          { username: INT, lastName: 'ETL', profile: 'Minimum Access - API Only Integrations' },
          { username: PERSON, lastName: 'Doe', profile: 'Standard User' },
        ],
      },
      alias: 'emu',
    });
    org = s.emulator.org(0);
    project = await s.project();
  });
  after(async () => s?.stop());

  const sf = async (args: string[]): Promise<SfResult> => {
    s.emulator.clearRequests();
    return s.runSf(args, { cwd: project });
  };
  const passwordRequests = (): string[] =>
    s.emulator.requests.filter((r) => r.path.endsWith('/password')).map((r) => `${r.method} ${r.path}`);

  it('password refuses the running user, even with --force, and a person', async () => {
    const self = await sf([
      'integration-user',
      'password',
      '-o',
      'emu',
      '--username',
      org.adminUsername,
      '--generate',
      '--force',
      '--show-password',
    ]);
    expect(self.exitCode).to.not.equal(0);
    expect(self.json?.name).to.equal('RunningUserError');
    expect(passwordRequests()).to.deep.equal([]);

    const person = await sf([
      'integration-user',
      'password',
      '-o',
      'emu',
      '--username',
      PERSON,
      '--reset',
      '--show-password',
    ]);
    expect(person.json?.name).to.equal('NotIntegrationUserError');
    expect(person.json?.message).to.contain('Standard User');
    expect(person.json?.actions?.join(' ')).to.contain('Reset Password');
    expect(passwordRequests()).to.deep.equal([]);
  });

  it('create --connect "bad name!" and a long alias fail before any org write, leaving no file', async () => {
    const base = ['integration-user', 'create', '-o', 'emu', '--username', NEW, '--object', 'Account:read'];
    const badApp = await sf([...base, '--connect', 'bad name!']);
    expect(badApp.json?.name).to.equal('InvalidAppNameError');
    expect(badApp.exitCode).to.not.equal(68);
    expect(orgWrites(s.emulator.requests)).to.deep.equal([]);

    const longAlias = await sf([...base, '--alias', 'waytoolongalias']);
    expect(longAlias.json?.name).to.equal('InvalidAliasError');
    expect(orgWrites(s.emulator.requests)).to.deep.equal([]);
    expect(existsSync(join(project, 'force-app', 'main', 'default', 'permissionsets'))).to.equal(false);
    expect(org.query(`SELECT Id FROM User WHERE Username = '${NEW}'`)).to.deep.equal([]);
  });

  it('--api-version 99.0 names the version instead of "The requested resource does not exist"', async () => {
    const r = await sf(['integration-user', 'licenses', '-o', 'emu', '--api-version', '99.0']);
    expect(r.exitCode).to.not.equal(0);
    expect(r.json?.name).to.equal('ApiVersionTooNewError');
    expect(r.json?.message).to.contain('99.0');
  });
});
