/**
 * Real Salesforce clients for the emulator's own tests: @salesforce/core Connections authenticated by access token.
 * HOME points at a temp dir and the generic keychain is used, so no real auth files are read or written.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Connection } from '@salesforce/core';
import type { EmulatedOrg, Emulator } from '../src/index.js';

if (!process.env.SF_EMULATOR_TEST_HOME) {
  process.env.SF_EMULATOR_TEST_HOME = mkdtempSync(join(tmpdir(), 'sf-emu-home-'));
  process.env.HOME = process.env.SF_EMULATOR_TEST_HOME;
  process.env.USERPROFILE = process.env.SF_EMULATOR_TEST_HOME;
}
process.env.SF_USE_GENERIC_UNIX_KEYCHAIN = 'true';
process.env.SF_DISABLE_TELEMETRY = 'true';
process.env.SFDX_IGNORE_API_VERSION_CACHE = 'true';

/** The required fields of a new User record, less Username and ProfileId. */
export const USER_FIELDS = {
  LastName: 'Int',
  Email: 'int@example.com',
  Alias: 'int',
  TimeZoneSidKey: 'America/Los_Angeles',
  LocaleSidKey: 'en_US',
  EmailEncodingKey: 'UTF-8',
  LanguageLocaleKey: 'en_US',
};

export async function connect(
  emu: Emulator,
  org: EmulatedOrg = emu.org(),
  accessToken = org.accessToken,
): Promise<Connection> {
  const { AuthInfo, Connection: Conn } = await import('@salesforce/core');
  const authInfo = await AuthInfo.create({
    accessTokenOptions: { accessToken, instanceUrl: emu.url, loginUrl: emu.url },
  });
  return Conn.create({ authInfo });
}

/** The error a client call throws, for asserting on name/errorCode/message. */
export async function failure(p: PromiseLike<unknown>): Promise<Error & { errorCode?: string; data?: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { errorCode?: string };
  }
  throw new Error('expected the call to fail');
}

export type DeployedFile = { fullName: string; type: string; state: string; error?: string };

/**
 * Writes source files (path relative to a fresh folder under `dir` → content) and deploys them with
 * source-deploy-retrieve, as `sf project deploy start` does; returns the request status and SDR's file responses.
 */
export async function deploySource(
  conn: Connection,
  dir: string,
  files: Record<string, string>,
  apiOptions: Record<string, unknown> = {},
): Promise<{ status: string; id: string; responses: DeployedFile[] }> {
  const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
  const root = join(dir, Math.random().toString(36).slice(2));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const deploy = await ComponentSet.fromSource(root).deploy({ usernameOrConnection: conn, apiOptions });
  const result = await deploy.pollStatus(10, 30);
  return {
    status: String(result.response.status),
    id: result.response.id,
    responses: result.getFileResponses(),
  };
}
