/**
 * Standalone emulator: `npm run emulator -- --port 0 --seed org.json`.
 * Prints one JSON line {url, orgs:[{id, accessToken, adminUsername}]} and a readable summary, then runs until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { loadSeed, startEmulator } from './index.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, seed: { type: 'string' } } });
const seed = values.seed ? await loadSeed(values.seed) : undefined;
const emu = await startEmulator({ port: Number(values.port), seed });
const orgs = emu.orgs.map((o) => ({ id: o.id, accessToken: o.accessToken, adminUsername: o.adminUsername }));
process.stdout.write(
  `${JSON.stringify({ url: emu.url, orgId: orgs[0].id, accessToken: orgs[0].accessToken, adminUsername: orgs[0].adminUsername, orgs })}\n`,
);
for (const o of orgs) {
  process.stdout.write(
    `Salesforce org emulator listening on ${emu.url}\n  org id:         ${o.id}\n  admin username: ${o.adminUsername}\n  access token:   ${o.accessToken}\n`,
  );
}
process.stdout.write(
  `Log in with: SF_ACCESS_TOKEN='${orgs[0].accessToken}' sf org login access-token --instance-url ${emu.url} --no-prompt\n`,
);
const shutdown = (): void => {
  void emu.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
