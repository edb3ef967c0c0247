/**
 * integration-user password in-process against the org emulator. Every run captures stdout and stderr, and the
 * @salesforce/core log at trace level, to prove where the password appears and where it never does.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import { Logger, LoggerLevel, SfError } from '@salesforce/core';
import IntegrationUserPassword, {
  type IntegrationUserPasswordResult,
} from '../../../src/commands/integration-user/password.js';
import { storedPassword } from '@sf-integration-user/org-emulator';
import { startEmulator, type Emulator, type EmulatedOrg } from '@sf-integration-user/org-emulator';
import { loginToEmulator, useTempHome, type TempHome } from '../../helpers/emulator-login.js';
import { captureOutput } from '../../helpers/output.js';

const INT = 'legacy.etl@acme.com.integration';
const PERSON = 'jane.doe@acme.com';
const RETIRED = 'old.etl@acme.com.integration';

describe('integration-user password against the emulator', function () {
  this.timeout(30_000);
  let emu: Emulator;
  let org: EmulatedOrg;
  let userId: string;
  let home: TempHome;
  let dir: string;
  let out: string[];
  let log: Logger;
  let sandbox: sinon.SinonSandbox;

  before(async () => {
    home = await useTempHome('password-home-');
  });
  after(async () => {
    Logger.destroyRoot();
    await home.restore();
  });

  beforeEach(async () => {
    emu = await startEmulator({
      seed: {
        users: [
          { username: INT, lastName: 'ETL', profile: 'Minimum Access - API Only Integrations' },
          { username: PERSON, lastName: 'Person', profile: 'Standard User' },
          {
            username: RETIRED,
            lastName: 'Retired',
            profile: 'Minimum Access - API Only Integrations',
            isActive: false,
          },
        ],
      },
    });
    org = emu.org();
    userId = org.user(INT)!.Id;
    await loginToEmulator(emu, [org]);
    dir = await mkdtemp(join(tmpdir(), 'password-out-'));
    // everything the libraries log, at the most verbose level, kept in memory for the assertions
    Logger.destroyRoot();
    log = new Logger({ name: Logger.ROOT_NAME, level: LoggerLevel.TRACE, useMemoryLogger: true });
    sandbox = sinon.createSandbox();
    out = captureOutput(sandbox);
  });
  afterEach(async () => {
    sandbox.restore();
    await emu.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const run = (extra: string[]): Promise<IntegrationUserPasswordResult> =>
    IntegrationUserPassword.run([
      '--target-org',
      org.adminUsername,
      '--username',
      INT,
      ...extra,
    ]) as unknown as Promise<IntegrationUserPasswordResult>;
  const fail = (extra: string[]): Promise<SfError> =>
    run(extra).then(
      () => {
        throw new Error('expected the command to fail');
      },
      (e: SfError) => e,
    );
  const logged = (): string => log.readLogContentsAsText();
  const passwordRequests = (): string[] =>
    emu.requests.filter((r) => r.path.endsWith('/password')).map((r) => `${r.method} ${r.status}`);

  it('--generate sets a strong password in the org and shows it once in the human output, never in the log', async () => {
    const result = await run(['--generate']);
    const pw = storedPassword(org.state, userId)!;
    expect(pw).to.have.length(24);
    expect(pw)
      .to.match(/[A-Z]/)
      .and.match(/[a-z]/)
      .and.match(/\d/)
      .and.match(/[^A-Za-z0-9]/);
    expect(result).to.include({ username: INT, userId, action: 'generate', passwordSet: true, expired: false });
    expect(result).to.not.have.property('password');
    const printed = out.join('');
    expect(printed.split(pw)).to.have.length(2); // exactly once
    expect(printed).to.contain('password manager').and.contain('MFA').and.contain('sf integration-user connect');
    expect(logged()).to.contain('connection'); // the log did record this run
    expect(logged()).to.not.contain(pw);
    expect(passwordRequests()).to.deep.equal(['POST 204']);

    // a second run changes the stored password again
    await run(['--generate']);
    const pw2 = storedPassword(org.state, userId)!;
    expect(pw2).to.have.length(24);
    expect(pw2).to.not.equal(pw);
  });

  it('--json leaves the password out unless --show-password, and refuses to set one nobody would see', async () => {
    const lost = await fail(['--generate', '--json']);
    expect(lost.name).to.equal('PasswordWouldBeLostError');
    expect(passwordRequests()).to.deep.equal([]);
    expect(storedPassword(org.state, userId)).to.equal(undefined);

    out.length = 0;
    const file = join(dir, 'pw.txt');
    const quiet = await run(['--generate', '--json', '--output-file', file]);
    const pw = storedPassword(org.state, userId)!;
    expect(quiet).to.not.have.property('password');
    expect(out.join('')).to.contain('"passwordSet": true').and.not.contain(pw);
    expect(logged()).to.not.contain(pw);

    out.length = 0;
    const shown = await run(['--generate', '--json', '--show-password']);
    const pw2 = storedPassword(org.state, userId)!;
    expect(shown.password).to.equal(pw2);
    expect((JSON.parse(out.join('')) as { result: { password: string } }).result.password).to.equal(pw2);
    expect(logged()).to.not.contain(pw2);
  });

  it('--output-file writes the password with mode 0600 instead of showing it, and refuses to overwrite without --force', async () => {
    const file = join(dir, 'etl-password.txt');
    const result = await run(['--generate', '--output-file', file]);
    const pw = storedPassword(org.state, userId)!;
    expect(await readFile(file, 'utf8')).to.equal(`${pw}\n`);
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    expect(result.outputFile).to.equal(file);
    expect(out.join('')).to.contain(file);
    expect(out.join('')).to.not.contain(pw);

    const exists = await fail(['--generate', '--output-file', file]);
    expect(exists.name).to.equal('FileExistsError');
    expect(storedPassword(org.state, userId)).to.equal(pw); // nothing changed

    // --force replaces a file that was readable by others with a new owner-only one
    await writeFile(file, 'old', { mode: 0o644 });
    await run(['--generate', '--output-file', file, '--force']);
    const pw2 = storedPassword(org.state, userId)!;
    expect(pw2).to.not.equal(pw);
    expect(await readFile(file, 'utf8')).to.equal(`${pw2}\n`);
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
  });

  it('--reset lets the org reset it: the answer is the org’s new password, marked temporary', async () => {
    const result = await run(['--reset', '--json', '--show-password']);
    const pw = storedPassword(org.state, userId)!;
    expect(pw).to.be.a('string');
    expect(result).to.include({ action: 'reset', password: pw, expired: true });
    expect(passwordRequests()).to.deep.equal(['DELETE 200']);
    expect(logged()).to.not.contain(pw);
  });

  it('maps INVALID_NEW_PASSWORD and INSUFFICIENT_ACCESS to actionable errors without the password, and removes the unused file', async () => {
    emu.faults.add({
      method: 'POST',
      path: /\/password$/,
      respond: {
        error: 'INVALID_NEW_PASSWORD',
        message: 'Your password must be at least 32 characters long.',
        status: 400,
      },
    });
    const file = join(dir, 'pw.txt');
    const weak = await fail(['--generate', '--output-file', file]);
    expect(weak.name).to.equal('InvalidNewPasswordError');
    expect(weak.message).to.contain('at least 32 characters');
    expect(weak.actions?.join(' ')).to.contain('--length');
    await stat(file).then(
      () => expect.fail('the file of a password never set must be removed'),
      () => undefined,
    );
    emu.faults.clear();

    emu.faults.add({
      path: /\/password$/,
      respond: {
        error: 'INSUFFICIENT_ACCESS',
        message: 'insufficient access rights on cross-reference id',
        status: 403,
      },
    });
    const denied = await fail(['--reset']);
    expect(denied.name).to.equal('InsufficientAccessError');
    expect(denied.actions?.join(' ')).to.contain('Reset User Passwords');
    expect(storedPassword(org.state, userId)).to.equal(undefined);
    const everything = [out.join(''), logged(), JSON.stringify(weak), JSON.stringify(denied), weak.stack ?? ''].join(
      '\n',
    );
    // no password-shaped value (the generator's 24 characters) leaked through errors or logs
    expect(everything).to.not.match(/NewPassword"?\s*[:=]\s*"[^"]/);
  });

  it('says so when the user does not exist, changing nothing', async () => {
    const error = await IntegrationUserPassword.run([
      '--target-org',
      org.adminUsername,
      '--username',
      'nobody@acme.com',
      '--generate',
    ]).then(
      () => new SfError('no error'),
      (e: SfError) => e,
    );
    expect(error.name).to.equal('UserNotFoundError');
    expect(passwordRequests()).to.deep.equal([]);
  });

  describe('only for active API-only integration users', () => {
    const refuse = (username: string, extra: string[]): Promise<SfError> =>
      IntegrationUserPassword.run(['--target-org', org.adminUsername, '--username', username, ...extra]).then(
        () => new SfError('no error'),
        (e: SfError) => e,
      );

    it('refuses the running user, even with --force, and says what to do instead', async () => {
      const error = await refuse(org.adminUsername, ['--generate', '--force']);
      expect(error.name).to.equal('RunningUserError');
      expect(error.message).to.contain(org.adminUsername).and.contain('Nothing was changed');
      expect(error.actions?.join(' ')).to.contain('Change My Password');
      expect(passwordRequests()).to.deep.equal([]);
      // the spinner never said "done" before the refusal
      expect(out.join('')).to.not.match(/\.\.\. done/);
    });

    it("refuses a person (not API only), naming the profile, and points to Setup's reset", async () => {
      const error = await refuse(PERSON, ['--reset']);
      expect(error.name).to.equal('NotIntegrationUserError');
      expect(error.message).to.contain('Standard User').and.contain(PERSON);
      expect(error.actions?.join(' ')).to.contain('Reset Password').and.contain('sf integration-user create');
      expect(passwordRequests()).to.deep.equal([]);
    });

    it('refuses an inactive integration user', async () => {
      const error = await refuse(RETIRED, ['--generate']);
      expect(error.name).to.equal('UserInactiveError');
      expect(passwordRequests()).to.deep.equal([]);
    });

    it('says what is true of the user it did set', async () => {
      await run(['--generate']);
      expect(out.join('')).to.contain(
        `${INT} is an active API-only user (profile "Minimum Access - API Only Integrations"`,
      );
    });
  });
});
