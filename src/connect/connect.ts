import type { Connection } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import { DeployFailure, deployPermissionSets as deploySourceFiles, type DeployOptions } from '../metadata/deploy.js';
import {
  DEFAULT_SCOPES,
  ecaComponents,
  isValidCallbackUrl,
  NOT_IN_SOURCE_CONTROL,
  toMetadataScopes,
  type EcaComponent,
  type EcaSpec,
} from './eca.js';
import { checkExecutionUser, type ExecutionUser } from './execution-user.js';
import { compareWithOrg } from './existing.js';
import { componentPath, withTemporarySources, writeEcaSources, type WrittenFile } from './files.js';
import { pathExists } from '../metadata/project-paths.js';
import { checkAppName } from '../org-api/input-rules.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.connect');

export type ConnectOptions = {
  conn: Connection;
  /** the execution user */
  username: string;
  appName: string;
  label?: string;
  /** wire (api, refresh_token) or metadata (Api, RefreshToken) names; default: api */
  scopes?: readonly string[];
  /** the OAuth callback (redirect_uri) of the app; default: Salesforce's OAuth success page */
  callbackUrl?: string;
  /** folder holding the metadata type folders, such as force-app/main/default */
  baseDir: string;
  dryRun?: boolean;
  /** replace local files with other content, and change an existing app whose settings differ */
  force?: boolean;
  /** the user is already known (create has just made it): don't read it again */
  knownUser?: ExecutionUser;
  deploy?: Pick<DeployOptions, 'waitMinutes' | 'pollFrequencyMs' | 'onProgress'>;
};

export type ConnectStatus = 'done' | 'already done' | 'planned';

export type ConnectResult = {
  appName: string;
  username: string;
  userId: string;
  dryRun: boolean;
  /** done: deployed; already done: the org has the app with these settings; planned: dry run */
  status: ConnectStatus;
  scopes: string[];
  /**
   * file: written / unchanged in the project, planned (dry run), or temporary: deployed from a temporary folder and
   * never kept (the global OAuth settings; `path` is then where the project would have held it, and holds nothing)
   */
  components: Array<{
    type: string;
    fullName: string;
    path: string;
    file: 'written' | 'unchanged' | 'planned' | 'temporary';
  }>;
  /** dry run only: the XML that would be written */
  xml?: Array<{ type: string; fullName: string; xml: string }>;
  deployId?: string;
  /** where the other system asks for tokens */
  tokenEndpoint: string;
  /** Setup path to the consumer key and secret (never read or printed by this plugin) */
  credentialsSetupPath: string;
  /** the token request the other system sends, with placeholders for the credentials */
  tokenRequest: string;
  warnings: string[];
  nextSteps: string[];
};

/**
 * Sets up an External Client App whose client credentials flow runs as an API-only integration user: checks the
 * user, writes the metadata into the project (all but the global OAuth settings), deploys it from a temporary folder.
 * Reads only before anything is written; a re-run with the same settings deploys nothing ("already done").
 */
export async function runConnect(options: ConnectOptions): Promise<ConnectResult> {
  const { conn, appName } = options;
  const scopes = checkedScopes(options);
  const warnings = scopeWarnings(scopes);
  const user = await executionUser(options, warnings);
  const spec: EcaSpec = {
    appName,
    label: options.label,
    description: messages.getMessage('appDescription', [user.username]),
    contactEmail: user.email,
    executionUsername: user.username,
    executionProfile: user.profileName,
    scopes,
    callbackUrl: options.callbackUrl,
  };
  const components = ecaComponents(spec);
  const result = plannedResult(options, { spec, scopes, user }, components, warnings);

  // a user not created yet (create --connect --dry-run) has no app to compare with
  const existing = user.id ? await compareWithOrg(conn, spec) : ({ state: 'absent' } as const);
  if (existing.state === 'unknown') warnings.push(messages.getMessage('warning.cannotRead', [existing.reason]));
  if (existing.state === 'different' && !options.force) {
    throw messages.createError('error.AppDiffers', [appName, existing.differences.map((d) => `\n  ${d}`).join('')]);
  }

  if (result.dryRun) {
    result.xml = components.map((c) => ({ type: c.type, fullName: c.fullName, xml: c.xml }));
    result.nextSteps = [messages.getMessage('next.dryRun')];
    if (existing.state === 'same') result.warnings.push(messages.getMessage('info.alreadyInOrg', [appName]));
    return result;
  }

  const written = await writeToProject(components, options, result);
  if (existing.state === 'same') {
    result.status = 'already done';
  } else {
    result.deployId = await withTemporarySources(components, (files) =>
      deploy(conn, components, files, options.deploy),
    );
    result.status = 'done';
  }
  result.nextSteps = nextSteps(result, written);
  return result;
}

/**
 * The scopes as metadata names, once the app name, the scopes and the callback URL are known to be valid.
 *
 * @throws SfError a bad app name, UnknownScope, InvalidCallbackUrl
 */
function checkedScopes(options: ConnectOptions): string[] {
  const badName = checkAppName(options.appName);
  if (badName) throw badName;
  const { scopes, unknown } = toMetadataScopes(options.scopes?.length ? options.scopes : DEFAULT_SCOPES);
  if (unknown.length) throw messages.createError('error.UnknownScope', [unknown.join(', ')]);
  if (scopes.length === 0) throw messages.createError('error.UnknownScope', ['(none)']);
  if (options.callbackUrl !== undefined && !isValidCallbackUrl(options.callbackUrl)) {
    throw messages.createError('error.InvalidCallbackUrl', [options.callbackUrl]);
  }
  return scopes;
}

/** Scopes that give more than a client-credentials integration needs. */
function scopeWarnings(scopes: readonly string[]): string[] {
  const warnings: string[] = [];
  if (scopes.includes('Full')) warnings.push(messages.getMessage('warning.fullScope'));
  if (scopes.includes('RefreshToken') || scopes.includes('OfflineAccess'))
    warnings.push(messages.getMessage('warning.refreshScope'));
  return warnings;
}

/** The execution user: the one create has just made, or read and checked now (its warnings added to `warnings`). */
async function executionUser(options: ConnectOptions, warnings: string[]): Promise<ExecutionUser> {
  if (options.knownUser) return options.knownUser;
  const checked = await checkExecutionUser(options.conn, options.username);
  warnings.push(...checked.warnings);
  return checked.user;
}

/** The result as planned: every component still to write, and where the other system asks for tokens. */
function plannedResult(
  options: ConnectOptions,
  { spec, scopes, user }: { spec: EcaSpec; scopes: string[]; user: ExecutionUser },
  components: readonly EcaComponent[],
  warnings: string[],
): ConnectResult {
  const tokenEndpoint = `${(options.conn.instanceUrl ?? '').replace(/\/$/, '')}/services/oauth2/token`;
  return {
    appName: options.appName,
    username: user.username,
    userId: user.id,
    dryRun: options.dryRun ?? false,
    status: 'planned',
    scopes,
    components: components.map((c) => ({
      type: c.type,
      fullName: c.fullName,
      path: componentPath(options.baseDir, c),
      file: NOT_IN_SOURCE_CONTROL.has(c.type) ? ('temporary' as const) : ('planned' as const),
    })),
    tokenEndpoint,
    credentialsSetupPath: messages.getMessage('credentialsSetupPath', [spec.label ?? options.appName]),
    tokenRequest: messages.getMessage('tokenRequest', [tokenEndpoint]),
    warnings,
    nextSteps: [],
  };
}

/**
 * Writes what may be committed into the project (the global OAuth settings reach the org from a temporary folder
 * only), records each component's file in `result`, and warns about global settings left in the project.
 */
async function writeToProject(
  components: readonly EcaComponent[],
  options: ConnectOptions,
  result: ConnectResult,
): Promise<WrittenFile[]> {
  const kept = components.filter((c) => !NOT_IN_SOURCE_CONTROL.has(c.type));
  const written = await writeEcaSources(kept, { baseDir: options.baseDir, force: options.force });
  result.components = components.map((c) => {
    const w = written.find((x) => x.type === c.type);
    return w
      ? { type: w.type, fullName: w.fullName, path: w.path, file: w.status }
      : { type: c.type, fullName: c.fullName, path: componentPath(options.baseDir, c), file: 'temporary' as const };
  });
  const leftOver = (
    await Promise.all(
      components
        .filter((c) => NOT_IN_SOURCE_CONTROL.has(c.type))
        .map(async (c) =>
          (await pathExists(componentPath(options.baseDir, c))) ? componentPath(options.baseDir, c) : undefined,
        ),
    )
  ).filter((p): p is string => p !== undefined);
  for (const path of leftOver) result.warnings.push(messages.getMessage('warning.globalSettingsInProject', [path]));
  return written;
}

function nextSteps(result: ConnectResult, written: readonly WrittenFile[]): string[] {
  const committable = written.filter((w) => w.status === 'written');
  return [
    messages.getMessage('next.credentials', [result.credentialsSetupPath]),
    messages.getMessage('next.token', [result.tokenRequest]),
    messages.getMessage('next.secret'),
    ...(committable.length ? [messages.getMessage('next.commit', [committable.map((w) => w.path).join(', ')])] : []),
    messages.getMessage('next.globalSettings'),
  ];
}

async function deploy(
  conn: Connection,
  components: readonly EcaComponent[],
  files: string[],
  options: ConnectOptions['deploy'] = {},
): Promise<string> {
  try {
    // deployPermissionSets deploys any source files through SDR; the name is historical
    const outcome = await deploySourceFiles(conn, files, options);
    return outcome.id;
  } catch (e) {
    if (!(e instanceof DeployFailure)) throw e;
    const error = messages.createError('error.DeployFailed', [e.message]);
    if (e.failures.some((f) => /execution user/i.test(f.problem ?? ''))) {
      error.actions = [...messages.getMessages('error.ExecutionUser.actions'), ...(error.actions ?? [])];
    }
    error.setData({ deployId: e.outcome.id, failures: e.failures, components: components.map((c) => c.fullName) });
    throw error;
  }
}
