import { expect } from 'chai';
import sinon from 'sinon';
import { stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import Audit from '../../../src/commands/integration-user/audit.js';
import Licenses from '../../../src/commands/integration-user/licenses.js';
import { startEmulator, type Emulator } from '@sf-integration-user/org-emulator';
import { loginInTempHome } from '../../helpers/emulator-login.js';
import { smallEmulatorSeed } from './emulator-seed.js';

describe('integration-user audit and licenses against the org emulator', () => {
  let emu: Emulator;
  let login: Awaited<ReturnType<typeof loginInTempHome>>;
  const listeners = process.getMaxListeners();
  const sandbox = sinon.createSandbox();

  beforeEach(() => {
    stubSfCommandUx(sandbox);
    stubSpinner(sandbox);
  });
  afterEach(() => {
    sandbox.restore();
    process.exitCode = undefined;
  });

  before(async () => {
    process.setMaxListeners(100);
    emu = await startEmulator({ seed: smallEmulatorSeed() });
    login = await loginInTempHome(emu.url, emu.org().accessToken);
  });
  after(async () => {
    await login?.restore();
    await emu?.stop();
    process.setMaxListeners(listeners);
  });

  it('classifies each seeded user and computes the savings exactly, over HTTP', async () => {
    emu.clearRequests();
    const r = await Audit.run(['--target-org', login.username, '--json']);
    expect(r.candidates.map((c) => [c.username, c.class, c.movable, c.extraSeats])).to.deep.equal([
      ['bob@acme.com', 'person-and-integration', false, 1],
      ['etl@acme.com', 'admin-integration', true, 0],
      ['integrations@acme.com', 'shared-integration', true, 2],
      ['marketo@acme.com', 'api-only-full-license', true, 0],
      ['mule@acme.com', 'integration-license', false, 0],
    ]);
    expect(r.candidates[3].apps[0]).to.include({ app: 'Marketo', logins: 30, tokenUseCount: 400 });
    expect(r.seats.integrationUserLicense).to.deep.include({ total: 5, used: 1, free: 4 });
    expect(r.savings).to.deep.include({
      movableUsers: 3,
      freeSeatsUsed: 3,
      paidSeats: 0,
      netSavingsPerYear: 3600,
      netSavingsPerYearAfterSplit: 3360,
    });
    expect(r.savings.splitOut).to.deep.equal({ seats: 3, freeSeatsUsed: 1, paidSeats: 2, costPerYear: 240 });
    expect(r.gaps).to.deep.equal([]);
    expect(r.loginHistory).to.deep.include({ read: true, mode: 'aggregate', queries: 1 });
    const queries = emu.requests.filter((q) => q.path.endsWith('/query'));
    expect(queries).to.have.length(r.stats.roundTrips);
  });

  it('gets the same answer paging LoginHistory rows', async () => {
    emu.org().config.queryPageSize = 25;
    try {
      const r = await Audit.run(['--target-org', login.username, '--login-query', 'rows', '--json']);
      expect(r.loginHistory).to.deep.include({ mode: 'rows', truncated: false });
      expect(r.savings.netSavingsPerYearAfterSplit).to.equal(3360);
      expect(r.candidates.map((c) => c.class)).to.deep.equal([
        'person-and-integration',
        'admin-integration',
        'shared-integration',
        'api-only-full-license',
        'integration-license',
      ]);
    } finally {
      emu.org().config.queryPageSize = 2000;
    }
  });

  it('licenses shows the seats', async () => {
    const r = await Licenses.run(['--target-org', login.username, '--json']);
    expect(r.userLicense).to.deep.include({ total: 5, used: 1, free: 4 });
    expect(r.permissionSetLicense).to.deep.include({ name: 'SalesforceAPIIntegrationPsl' });
  });
});

describe('integration-user audit against the org emulator: faults', () => {
  let emu: Emulator;
  let login: Awaited<ReturnType<typeof loginInTempHome>>;
  const sandbox = sinon.createSandbox();
  const listeners = process.getMaxListeners();

  before(async () => {
    process.setMaxListeners(100);
    emu = await startEmulator({ seed: smallEmulatorSeed() });
    login = await loginInTempHome(emu.url, emu.org().accessToken);
  });
  after(async () => {
    await login?.restore();
    await emu?.stop();
    process.setMaxListeners(listeners);
  });
  beforeEach(() => {
    stubSfCommandUx(sandbox);
    stubSpinner(sandbox);
  });
  afterEach(() => {
    sandbox.restore();
    process.exitCode = undefined;
  });

  it('falls back to paging rows when the org rejects the aggregate query', async () => {
    // Seats and users are the first three queries; LoginHistory the fourth.
    const fault = emu.faults.add({
      path: /\/query$/,
      nth: 4,
      respond: { error: 'MALFORMED_QUERY', message: 'unexpected token: MAX', status: 400 },
    });
    try {
      const r = await Audit.run(['--target-org', login.username, '--json']);
      expect(r.loginHistory).to.deep.include({ mode: 'rows', truncated: false });
      expect(r.loginHistory.fallbackReason).to.contain('MALFORMED_QUERY');
      expect(r.savings.netSavingsPerYearAfterSplit).to.equal(3360);
    } finally {
      fault.remove();
    }
  });

  it('sends a query again when the connection drops once', async () => {
    emu.clearRequests();
    const fault = emu.faults.add({ path: /\/query$/, nth: 4, respond: { drop: true } });
    try {
      const r = await Audit.run(['--target-org', login.username, '--json']);
      expect(r.loginHistory).to.deep.include({ mode: 'aggregate', queries: 1 });
      expect(r.savings.netSavingsPerYearAfterSplit).to.equal(3360);
      expect(emu.requests.filter((q) => q.query.includes('GROUP%20BY'))).to.have.length(2);
      expect(r.stats.roundTrips).to.equal(6);
    } finally {
      fault.remove();
    }
  });

  it('fails with a clear error (rather than switching query form) when the connection keeps dropping', async () => {
    emu.clearRequests();
    const fault = emu.faults.add({ path: /\/query$/, nth: 4, times: Infinity, respond: { drop: true } });
    try {
      await Audit.run(['--target-org', login.username, '--json']);
      expect.fail('should have failed');
    } catch (e) {
      expect((e as Error).name).to.equal('ConnectionLostError');
      expect((e as Error).message).to.contain('The connection to the org was lost');
      expect(emu.requests.filter((q) => q.query.includes('GROUP%20BY'))).to.have.length(3);
      expect(emu.requests.some((q) => q.query.includes('LoginTime%20FROM%20LoginHistory'))).to.be.false;
    } finally {
      fault.remove();
    }
  });
});
