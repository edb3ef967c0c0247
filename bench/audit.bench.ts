/**
 * Wall time and round trips of `sf integration-user audit` over an emulated org with 1,000 users and
 * 500,000 LoginHistory rows, reading LoginHistory aggregated in SOQL (default) and row by row.
 * The "wide" org gives every person logins from three browsers/apps, so the user/type/app groups
 * (over 2,000) no longer fit one aggregate answer and the audit asks 200 users at a time.
 *
 *   node --import tsx bench/audit.bench.ts [users] [loginRows]
 */
import { Org } from '@salesforce/core';
import { runAudit, type AuditResult } from '../src/audit/audit.js';
import { startEmulator } from '@sf-integration-user/org-emulator';
import { loginInTempHome } from '../test/helpers/emulator-login.js';

const USERS = Number(process.argv[2] ?? 1000);
const LOGIN_ROWS = Number(process.argv[3] ?? 500_000);
const DAYS = 90;

const APPS = ['Marketo', 'Workato', 'MuleSoft', 'Data Loader', 'Informatica', 'Tableau', 'Zapier', 'Jitterbit'];

/** A deterministic mix: mostly people (browser logins), some API-only users, some shared, some mixed. */
function kindOf(i: number): 'person' | 'api' | 'shared' | 'mixed' | 'admin-api' {
  if (i % 50 === 1) return 'api';
  if (i % 50 === 2) return 'shared';
  if (i % 50 === 3) return 'mixed';
  if (i % 100 === 4) return 'admin-api';
  return 'person';
}

async function bench(wide: boolean): Promise<void> {
  const t0 = Date.now();
  const users = Array.from({ length: USERS }, (_, i) => ({
    username: `user${i}@bench.example.com`,
    lastName: `User ${i}`,
    profile: kindOf(i) === 'admin-api' ? 'System Administrator' : 'Standard User',
  }));
  const emu = await startEmulator({
    seed: { type: 'production', edition: 'Enterprise Edition', licenses: { salesforce: USERS + 10 }, users },
  });
  const org = emu.org();
  const idOf = new Map(org.records('User').map((u) => [String(u.Username), u.Id]));
  const now = Date.now();
  const rows: Array<Record<string, unknown>> = [];
  for (let n = 0; n < LOGIN_ROWS; n++) {
    const i = n % USERS;
    const kind = kindOf(i);
    const api = kind === 'api' || kind === 'admin-api' || kind === 'shared' || (kind === 'mixed' && n % 3 === 0);
    const app = kind === 'shared' ? APPS[n % 3] : APPS[i % APPS.length];
    const browser = wide
      ? ['Browser', 'Salesforce for iOS', 'Salesforce for Android'][Math.floor(n / USERS) % 3]
      : 'Browser';
    rows.push({
      UserId: idOf.get(`user${i}@bench.example.com`),
      // spread over the period, never on its first (partial) day
      LoginTime: new Date(now - ((n * 7919) % ((DAYS - 1) * 86_400_000))).toISOString(),
      LoginType: api ? 'Remote Access 2.0' : browser === 'Browser' ? 'Application' : 'Remote Access 2.0',
      Application: api ? app : browser,
      Status: 'Success',
    });
  }
  org.insertMany('LoginHistory', rows);
  rows.length = 0;
  const seeded = Date.now() - t0;
  const login = await loginInTempHome(emu.url, org.accessToken);
  try {
    const conn = (await Org.create({ aliasOrUsername: login.username })).getConnection();
    const run = async (mode: 'aggregate' | 'rows'): Promise<{ r: AuditResult; ms: number; http: number }> => {
      emu.clearRequests();
      const start = Date.now();
      const r = await runAudit(conn, { days: DAYS, maxLoginRows: 1_000_000, mode, targetOrg: 'bench' });
      return { r, ms: Date.now() - start, http: emu.requests.length };
    };
    const lines: string[] = [];
    lines.push(
      `${wide ? 'wide ' : ''}org: ${USERS} users, ${LOGIN_ROWS.toLocaleString('en-US')} LoginHistory rows (seeded in ${seeded} ms)`,
    );
    for (const mode of wide ? (['aggregate'] as const) : (['aggregate', 'rows'] as const)) {
      const { r, ms, http } = await run(mode);
      const mem = Math.round(process.memoryUsage().rss / 1e6);
      lines.push(
        `${mode.padEnd(9)}: ${ms} ms wall, ${http} HTTP round trips (${r.loginHistory.queries} LoginHistory), ` +
          `${r.loginHistory.rowsRead?.toLocaleString('en-US')} ${mode === 'rows' ? 'rows' : 'groups'} read, ${r.candidates.length} candidates ` +
          `(${Object.entries(r.summary)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}), net savings ${r.savings.netSavingsPerYear}/yr, rss ${mem} MB`,
      );
    }
    console.log(lines.join('\n'));
  } finally {
    await login.restore();
    await emu.stop();
  }
}

await bench(false);
await bench(true);
