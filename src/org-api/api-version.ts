/**
 * Which Salesforce API versions the plugin works with, and which version a command writes metadata for.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Messages, SfProject, type Connection } from '@salesforce/core';
import type { VersionDrop } from '../permissions/element-versions.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'api-version');

/**
 * The oldest API version the plugin supports. Chosen from ../shared/reference/salesforce/sobjects.json: every field
 * the plugin queries is there at 59.0, the last to appear being `PermissionsApiUserOnly` on Profile and
 * PermissionSet (the API-only check of `connect` and `create`), first shown at 59.0 (the file's versions are upper
 * bounds, its oldest being 55.0, so nothing older can be shown to work). Every PermissionSet element the plugin
 * writes exists at 59.0 except those it leaves out for older targets (element-versions.ts).
 */
export const OLDEST_API_VERSION = '59.0';

/**
 * `connect` deploys External Client App metadata (connect/eca.ts): the policies' `commaSeparatedProfile` (which
 * pre-authorizes the execution user's profile) exists from 62.0, `isCodeCredFlowEnabled` from 61.0, the client
 * credentials flow (`isClientCredentialsFlowEnabled`, `clientCredentialsFlowUser`) from 60.0 (metadata-types.json).
 */
export const CONNECT_OLDEST_API_VERSION = '62.0';

/** The newest API version the plugin knows the metadata of (metadata-types.json's newest). */
export const NEWEST_API_VERSION = '66.0';

export const compareApiVersions = (a: string, b: string): number => Number(a) - Number(b);
const lowest = (versions: string[]): string => versions.reduce((a, b) => (compareApiVersions(a, b) <= 0 ? a : b));

/** Where a version came from, for messages: the flag, the project, the org connection. */
export type VersionSource = '--api-version' | 'sourceApiVersion' | 'org';

/** Refuses a version older than `oldest`, naming where it came from and what to do. */
export function assertNotTooOld(version: string, source: VersionSource, oldest = OLDEST_API_VERSION): void {
  if (compareApiVersions(version, oldest) >= 0) return;
  throw messages.createError('error.ApiVersionTooOld', [version, source, oldest], [oldest]);
}

/**
 * Refuses a requested API version the org doesn't serve (Salesforce answers "The requested resource does not
 * exist" for any call at it), and one older than the plugin supports. Without --api-version, checks the version the
 * connection uses (the org's, or the org-api-version config).
 */
export async function assertApiVersionSupported(
  conn: Connection,
  requested: string | undefined,
  oldest = OLDEST_API_VERSION,
): Promise<void> {
  if (requested) {
    assertNotTooOld(requested, '--api-version', oldest);
    const max = await conn.retrieveMaxApiVersion();
    if (compareApiVersions(requested, max) > 0)
      throw messages.createError('error.ApiVersionTooNew', [requested, max], [max]);
    return;
  }
  assertNotTooOld(conn.getApiVersion(), 'org', oldest);
}

/** The project's sourceApiVersion (sfdx-project.json of the project holding dir), if any. */
export async function projectSourceApiVersion(dir: string): Promise<string | undefined> {
  let root: string;
  try {
    root = await SfProject.resolveProjectPath(dir);
  } catch {
    return undefined;
  }
  try {
    const json = JSON.parse(await readFile(join(root, 'sfdx-project.json'), 'utf8')) as { sourceApiVersion?: unknown };
    return typeof json.sourceApiVersion === 'string' && /^\d+\.0$/.test(json.sourceApiVersion)
      ? json.sourceApiVersion
      : undefined;
  } catch {
    return undefined;
  }
}

export type TargetApiVersion = { version: string; source: VersionSource | 'newest supported' };

/**
 * The API version metadata is written for: the lowest of --api-version, the project's sourceApiVersion and the
 * org connection's version, so the files deploy both now and with `sf project deploy start` later (which sends
 * sourceApiVersion as package.xml's <version>, the version Salesforce parses the files at). Without any of them,
 * the newest the plugin knows. A project older than the plugin supports is refused.
 */
export async function targetApiVersion(options: {
  flag?: string;
  projectDir?: string;
  orgVersion?: string;
  oldest?: string;
}): Promise<TargetApiVersion> {
  const candidates: Array<{ version: string; source: VersionSource }> = [];
  if (options.flag) candidates.push({ version: options.flag, source: '--api-version' });
  const project = options.projectDir ? await projectSourceApiVersion(options.projectDir) : undefined;
  if (project) {
    assertNotTooOld(project, 'sourceApiVersion', options.oldest);
    candidates.push({ version: project, source: 'sourceApiVersion' });
  }
  if (options.orgVersion && !options.flag) candidates.push({ version: options.orgVersion, source: 'org' });
  if (candidates.length === 0) return { version: NEWEST_API_VERSION, source: 'newest supported' };
  const version = lowest(candidates.map((c) => c.version));
  // newer than the plugin knows: write for the newest it knows (older elements are valid in newer versions)
  if (compareApiVersions(version, NEWEST_API_VERSION) > 0)
    return { version: NEWEST_API_VERSION, source: 'newest supported' };
  return { version, source: candidates.find((c) => c.version === version)!.source };
}

/** One warning for every grant left out because the target version lacks its element (each is also listed). */
export function versionDropWarning(dropped: readonly VersionDrop[], version: string): string {
  const since = dropped.map((d) => d.since).reduce((a, b) => (compareApiVersions(a, b) >= 0 ? a : b));
  const names = dropped.map((d) => d.name);
  const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
  return messages.getMessage('warning.DroppedForApiVersion', [dropped.length, version, shown, since]);
}
