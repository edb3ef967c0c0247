import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthInfo, ConfigAggregator, StateAggregator } from '@salesforce/core';

const KEYS = ['HOME', 'USERPROFILE', 'SF_USE_GENERIC_UNIX_KEYCHAIN', 'SF_DISABLE_TELEMETRY'] as const;

/**
 * Logs in to an emulated org the way `sf org login access-token` does, in a throw-away HOME,
 * and returns the username to pass as --target-org.
 */
export async function loginInTempHome(instanceUrl: string, accessToken: string): Promise<{ username: string; restore: () => Promise<void> }> {
  const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
  const home = mkdtempSync(join(tmpdir(), 'audit-home-'));
  process.env.HOME = home;
  process.env.USERPROFILE = home;
  process.env.SF_USE_GENERIC_UNIX_KEYCHAIN = 'true';
  process.env.SF_DISABLE_TELEMETRY = 'true';
  await StateAggregator.clearInstanceAsync();
  await ConfigAggregator.clearInstance();
  const authInfo = await AuthInfo.create({ accessTokenOptions: { accessToken, instanceUrl, loginUrl: instanceUrl } });
  await authInfo.save();
  return {
    username: authInfo.getUsername() ?? '',
    restore: async () => {
      await StateAggregator.clearInstanceAsync();
      await ConfigAggregator.clearInstance();
      for (const k of KEYS) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
