/**
 * Setting or resetting a user's password through the REST User password resource
 * (`/sobjects/User/{id}/password`: POST {NewPassword} sets it, DELETE resets it and answers the new one).
 *
 * The password never goes to a logger, an error message or error data: the only places it appears are the return
 * value and, when asked, a file only its owner can read.
 */
import { open, rm } from 'node:fs/promises';
import { Connection, Messages } from '@salesforce/core';
import { errorCode } from '../org-api/errors.js';
import { readExecutionUser, type ExecutionUser } from '../connect/execution-user.js';
import { DEFAULT_PASSWORD_LENGTH, generatePassword } from './generate.js';
import { pathExists } from '../metadata/project-paths.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.password');

export type PasswordAction = 'generate' | 'reset';

export type PasswordOptions = {
  conn: Connection;
  username: string;
  action: PasswordAction;
  /** write the password to this file, owner read/write only (0600) */
  outputFile?: string;
  /** replace an existing output file */
  force?: boolean;
  length?: number;
};

export type PasswordOutcome = {
  username: string;
  userId: string;
  action: PasswordAction;
  /** the secret: the caller decides whether it is shown */
  password: string;
  outputFile?: string;
  /** reset passwords must be changed at the next login */
  expired?: boolean;
  /** what is true of the user: active and API only, with its profile and license */
  user: ExecutionUser;
};

/**
 * The only users whose password this command sets: active, API-only users (the check connect makes of an execution
 * user), never the user running the command. A person's password belongs to the person (Salesforce's own reset
 * emails them a link); the running admin would lock themselves out. --force doesn't change this.
 *
 * @throws SfError UserNotFound | RunningUser | UserInactive | NotIntegrationUser
 */
export async function checkPasswordTarget(conn: Connection, username: string): Promise<ExecutionUser> {
  const user = await readExecutionUser(conn, username);
  if (!user) throw messages.createError('error.UserNotFound', [username]);
  const running = conn.getUsername()?.toLowerCase();
  const runningId = conn.getAuthInfoFields().userId;
  if (user.username.toLowerCase() === running || (runningId && runningId.slice(0, 15) === user.id.slice(0, 15))) {
    throw messages.createError('error.RunningUser', [user.username]);
  }
  if (!user.isActive) throw messages.createError('error.UserInactive', [user.username]);
  if (!user.apiOnly) {
    throw messages.createError('error.NotIntegrationUser', [
      user.username,
      user.profileName ?? 'unknown',
      user.userLicense ?? 'unknown',
    ]);
  }
  return user;
}

/**
 * Sets a generated password (--generate) or lets Salesforce reset it (--reset). Checks the user and the output file
 * before changing anything. A generated password is written to the file before it is set, so a file that can't be
 * written never leaves an unknown password behind.
 */
export async function changePassword(options: PasswordOptions): Promise<PasswordOutcome> {
  const { conn, action, outputFile } = options;
  if (outputFile && !options.force && (await pathExists(outputFile)))
    throw messages.createError('error.FileExists', [outputFile]);
  const checked = await checkPasswordTarget(conn, options.username);
  const user = { Id: checked.id, Username: checked.username };
  const url = `${conn.baseUrl()}/sobjects/User/${user.Id}/password`;

  if (action === 'generate') {
    const password = generatePassword(options.length ?? DEFAULT_PASSWORD_LENGTH);
    if (outputFile) await writeSecretFile(outputFile, password, options.force);
    try {
      await unloggedRequest(conn, {
        method: 'POST',
        url,
        body: JSON.stringify({ NewPassword: password }),
        headers: { 'content-type': 'application/json' },
      });
    } catch (e) {
      if (outputFile) await rm(outputFile, { force: true });
      throw mapPasswordError(e, user.Username);
    }
    return { username: user.Username, userId: user.Id, action, password, outputFile, user: checked };
  }

  let password: string;
  try {
    const answer = await unloggedRequest<{ NewPassword?: string }>(conn, { method: 'DELETE', url });
    password = String(answer?.NewPassword ?? '');
  } catch (e) {
    throw mapPasswordError(e, user.Username);
  }
  if (!password) throw messages.createError('error.NoPasswordReturned', [user.Username]);
  if (outputFile) {
    try {
      await writeSecretFile(outputFile, password, options.force);
    } catch (e) {
      // the reset happened: say so, without the password
      throw messages.createError('error.ResetNotSaved', [
        user.Username,
        outputFile,
        e instanceof Error ? e.message : String(e),
      ]);
    }
  }
  return { username: user.Username, userId: user.Id, action, password, outputFile, expired: true, user: checked };
}

type HttpRequest = { method: 'POST' | 'DELETE'; url: string; body?: string; headers?: Record<string, string> };

/**
 * jsforce's request, skipping @salesforce/core's override, which logs the whole request (body included) at debug level
 * and whose secret filter doesn't know "NewPassword". jsforce itself logs only the method and URL.
 */
async function unloggedRequest<T = unknown>(conn: Connection, request: HttpRequest): Promise<T> {
  const jsforce = Object.getPrototypeOf(Connection.prototype) as {
    request: (this: Connection, r: HttpRequest) => Promise<T>;
  };
  return jsforce.request.call(conn, {
    ...request,
    headers: { 'content-type': 'application/json', ...request.headers },
  });
}

/** Maps the org's refusal to an actionable error; keeps the org's message, never the request. */
export function mapPasswordError(e: unknown, username: string): Error {
  const code = errorCode(e);
  const text = String((e as { message?: string })?.message ?? e);
  if (code === 'INVALID_NEW_PASSWORD' || /INVALID_NEW_PASSWORD/.test(text)) {
    return messages.createError('error.InvalidNewPassword', [username, text]);
  }
  if (/^INSUFFICIENT_ACCESS/.test(code) || /INSUFFICIENT_ACCESS/.test(text)) {
    return messages.createError('error.InsufficientAccess', [username, text]);
  }
  if (code === 'NOT_FOUND' || code === 'INVALID_ID_FIELD')
    return messages.createError('error.UserNotFound', [username]);
  return e instanceof Error ? e : new Error(text);
}

/** Creates the file with mode 0600 (replacing it only with force: removed first, so the new file gets the mode). */
export async function writeSecretFile(path: string, secret: string, force = false): Promise<void> {
  if (force) await rm(path, { force: true });
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw messages.createError('error.FileExists', [path]);
    throw e;
  }
  try {
    // the umask can only remove bits: make sure, then write
    await handle.chmod(0o600);
    await handle.writeFile(`${secret}\n`, 'utf8');
  } finally {
    await handle.close();
  }
}
