/**
 * Round trips (HTTP requests the org sees) and wall time of `sf integration-user create` through the real sf against
 * the org emulator, beside issue 12's targets: a full create <= 8, a no-op re-run <= 4 (a deploy done on its first poll).
 *
 *   node --import tsx bench/create.bench.ts [pluginRoot=this repo]
 *   (pluginRoot must be built: `npm run build`); BENCH_LOG_REQUESTS=1 lists each request.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSfSession } from '@sf-integration-user/org-emulator/sf-session';

const ROOT = resolve(process.argv[2] ?? join(fileURLToPath(import.meta.url), '..', '..'));
const USERNAME = 'bench.sync@acme-bench.com.integration';
const ACCESS = [
  '--object',
  'Lead:read,create,edit',
  '--object',
  'Campaign:read',
  '--field',
  'Lead.Lead_Score__c:edit',
  '--user-permission',
  'RunReports',
];
const TARGETS = { full: 8, noOp: 4 };

const s = await startSfSession({
  seed: {
    type: 'production',
    edition: 'Enterprise Edition',
    objects: [{ name: 'Lead', fields: [{ name: 'Lead_Score__c', type: 'double' }] }],
  },
  alias: 'bench',
  plugins: [ROOT],
  env: { SF_INTEGRATION_USER_POLL_MS: '50' },
});
try {
  const project = await s.project();
  const run = async (label: string): Promise<{ trips: number; ms: number }> => {
    s.emulator.clearRequests();
    const r = await s.runSf(
      [
        'integration-user',
        'create',
        '--target-org',
        'bench',
        '--username',
        USERNAME,
        '--email',
        'integrations@acme-bench.com',
        ...ACCESS,
      ],
      { cwd: project },
    );
    if (r.exitCode !== 0) throw new Error(`${label}: exit ${r.exitCode}\n${r.stdout}${r.stderr}`);
    if (process.env.BENCH_LOG_REQUESTS)
      for (const q of s.emulator.requests)
        console.log(`  ${q.method} ${q.path} ${decodeURIComponent(q.query)} ${q.soapOperation ?? ''}`);
    return { trips: s.emulator.requests.length, ms: r.ms };
  };
  const full = await run('full create');
  const noOp = await run('no-op re-run');
  const mark = (v: number, t: number): string => `${v} round trips (target <= ${t}: ${v <= t ? 'met' : 'NOT met'})`;
  console.log(`create (real sf, emulator): full create ${mark(full.trips, TARGETS.full)}, ${full.ms} ms`);
  console.log(`create (real sf, emulator): no-op re-run ${mark(noOp.trips, TARGETS.noOp)}, ${noOp.ms} ms`);
} finally {
  await s.stop();
}
