/**
 * Runs a test command once per API version the plugin supports at its ends: the oldest (OLDEST_API_VERSION) and the
 * newest (NEWEST_API_VERSION), with SF_IU_TEST_API_VERSION set (test/helpers/api-version.ts). With
 * SF_IU_TEST_API_VERSION already set, runs only at that version.
 *
 *   node --import tsx scripts/at-api-versions.ts mocha --config .mocharc.json "test/integration/**\/*.test.ts"
 */
import { spawnSync } from 'node:child_process';
import { NEWEST_API_VERSION, OLDEST_API_VERSION } from '../src/org-api/api-version.js';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: at-api-versions.ts <command> [args...]');
  process.exit(2);
}
const versions = process.env.SF_IU_TEST_API_VERSION
  ? [process.env.SF_IU_TEST_API_VERSION]
  : [OLDEST_API_VERSION, NEWEST_API_VERSION];
for (const version of versions) {
  console.log(`\n=== API ${version}: ${[command, ...args].join(' ')}`);
  const r = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, SF_IU_TEST_API_VERSION: version },
    shell: false,
  });
  if (r.status !== 0) {
    console.error(`=== failed at API ${version}`);
    process.exit(r.status ?? 1);
  }
}
