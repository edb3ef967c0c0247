/**
 * End-to-end harness for this plugin: the emulator package's real-`sf` session with this plugin linked.
 *
 *   const s = await startSfSession({ seed, alias: 'emu' });   // temp HOME, emulator, login, plugin linked
 *   const r = await s.runSf(['integration-user', 'create', ...]);   // --json added
 *
 * Every sf start costs 1-3 s of CPU, so a suite should keep its sf invocations few.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  linkPlugin as linkPluginAt,
  sfEnv as baseSfEnv,
  startSfSession as startBaseSession,
  type SfSession,
  type SfSessionOptions as BaseOptions,
} from '@sf-integration-user/org-emulator/sf-session';

export {
  filesUnder,
  runSf,
  SF,
  type RunSfOptions,
  type SfJson,
  type SfResult,
  type SfSession,
} from '@sf-integration-user/org-emulator/sf-session';

import { TEST_API_VERSION, TEST_API_VERSION_ENV } from '../helpers/api-version.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Poll deploys every 50 ms instead of every few seconds (the plugin's test knob); connect at the suite's API version. */
const FAST_POLL = { SF_INTEGRATION_USER_POLL_MS: '50', ...TEST_API_VERSION_ENV };

export type SfSessionOptions = Omit<BaseOptions, 'plugins'> & {
  /** link this plugin into the session's sf (default true) */
  link?: boolean;
};

export function sfEnv(home: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return baseSfEnv(home, { ...FAST_POLL, ...extra });
}

/** The directory `sf plugins link` gets: this repository, whose built lib/ and oclif.manifest.json `npm run build` writes. */
export function pluginRoot(): string {
  if (!existsSync(join(REPO_ROOT, 'lib', 'commands')))
    throw new Error('lib/ is missing: run `npm run build` before the e2e tests');
  return REPO_ROOT;
}

export async function linkPlugin(env: NodeJS.ProcessEnv): Promise<void> {
  await linkPluginAt(env, pluginRoot());
}

export function startSfSession(options: SfSessionOptions = {}): Promise<SfSession> {
  const { link, ...rest } = options;
  return startBaseSession({
    sourceApiVersion: TEST_API_VERSION,
    ...rest,
    env: { ...FAST_POLL, ...rest.env },
    plugins: link === false ? [] : [pluginRoot()],
  });
}
