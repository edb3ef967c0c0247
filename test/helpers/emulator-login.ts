/**
 * Logging in to the org emulator the way `sf org login access-token` does, in a throw-away HOME, so no real auth
 * files are read or written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthInfo, ConfigAggregator, StateAggregator } from '@salesforce/core';
import type { Emulator, EmulatedOrg } from '@sf-integration-user/org-emulator';
import { TEST_API_VERSION_ENV } from './api-version.js';

const KEYS = [
  'HOME',
  'USERPROFILE',
  'SF_USE_GENERIC_UNIX_KEYCHAIN',
  'SF_DISABLE_TELEMETRY',
  'SF_ORG_API_VERSION',
] as const;

export type TempHome = { home: string; restore: () => Promise<void> };

/**
 * Points HOME at a new temp dir with the generic keychain and no telemetry, plus any extra variables (e.g. a short
 * deploy poll). restore() puts every variable back and removes the dir.
 */
export async function useTempHome(prefix: string, env: Record<string, string> = {}): Promise<TempHome> {
  const keys = [...KEYS, ...Object.keys(env)];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  const home = mkdtempSync(join(tmpdir(), prefix));
  // connections made in the temp HOME use the suite's API version (org-api-version), as `sf` would with that config
  Object.assign(
    process.env,
    { HOME: home, USERPROFILE: home, SF_USE_GENERIC_UNIX_KEYCHAIN: 'true', SF_DISABLE_TELEMETRY: 'true' },
    TEST_API_VERSION_ENV,
    env,
  );
  await clearConfigCaches();
  return {
    home,
    restore: async () => {
      await clearConfigCaches();
      for (const k of keys) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Saves an access-token auth for an org at instanceUrl in the current HOME and returns its username. */
export async function saveAccessTokenAuth(instanceUrl: string, accessToken: string): Promise<string> {
  const authInfo = await AuthInfo.create({ accessTokenOptions: { accessToken, instanceUrl, loginUrl: instanceUrl } });
  await authInfo.save();
  return authInfo.getUsername() ?? '';
}

/** Logs in to the given emulated orgs (all of them by default) in the current HOME, after a fresh emulator start. */
export async function loginToEmulator(emu: Emulator, orgs: EmulatedOrg[] = emu.orgs): Promise<void> {
  await clearConfigCaches();
  for (const org of orgs) await saveAccessTokenAuth(emu.url, org.accessToken);
}

/** Logs in to an emulated org in a throw-away HOME and returns the username to pass as --target-org. */
export async function loginInTempHome(
  instanceUrl: string,
  accessToken: string,
): Promise<{ username: string; restore: () => Promise<void> }> {
  const { restore } = await useTempHome('audit-home-');
  return { username: await saveAccessTokenAuth(instanceUrl, accessToken), restore };
}

async function clearConfigCaches(): Promise<void> {
  await StateAggregator.clearInstanceAsync();
  await ConfigAggregator.clearInstance();
}
