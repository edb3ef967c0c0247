/**
 * /sobjects/User/{id}/password: GET whether it is expired, DELETE resets it (a generated password, expired),
 * POST sets it under Salesforce's default policy. Passwords are kept outside the records: no query shows them.
 */
import { randomBytes } from 'node:crypto';
import { ApiError, methodNotAllowed, notFound } from '../errors.js';
import type { OrgState, Rec } from '../state.js';
import { json, type Reply } from './reply.js';

type StoredPassword = { current?: string; history: string[]; expired: boolean };
const passwords = new WeakMap<OrgState, Map<string, StoredPassword>>();

/** The password the org holds for a user (set or reset through the password resource), for tests. */
export function storedPassword(org: OrgState, userId: string): string | undefined {
  const id = org.get(userId)?.Id;
  return id ? passwords.get(org)?.get(id)?.current : undefined;
}

export function passwordResource(
  org: OrgState,
  method: string,
  id: string,
  body: () => Record<string, unknown>,
): Reply {
  const user = org.get(id);
  if (!user || org.objectOf(user.Id)?.name !== 'User') throw notFound();
  const stored = passwordOf(org, user.Id);
  if (method === 'GET') return json(200, { isExpired: stored.expired });
  if (method === 'DELETE') {
    // a reset password must be changed at the next login
    const pw = generatedPassword();
    setStoredPassword(stored, pw, true);
    return json(200, { NewPassword: pw });
  }
  if (method === 'POST') {
    const pw = body().NewPassword;
    checkPolicy(user, stored, pw);
    setStoredPassword(stored, pw as string, false);
    return { status: 204 };
  }
  throw methodNotAllowed(method, 'GET,HEAD,POST,DELETE');
}

/** Salesforce's default policy: 8 characters, letters and numbers, not the username, none of the last 3. */
function checkPolicy(user: Rec, stored: StoredPassword, pw: unknown): void {
  const refuse = (text: string): never => {
    throw new ApiError('INVALID_NEW_PASSWORD', text, []);
  };
  if (typeof pw !== 'string' || pw.length < 8) refuse('Your password must be at least 8 characters long.');
  const text = pw as string;
  if (!/[a-zA-Z]/.test(text) || !/\d/.test(text)) refuse('Your password must have a mix of letters and numbers.');
  if (text.toLowerCase().includes(String(user.Username).toLowerCase()))
    refuse('Your password cannot equal or contain your user name.');
  if (stored.history.includes(text)) refuse('You cannot reuse this old password.');
}

function generatedPassword(): string {
  let pw: string;
  do pw = randomBytes(9).toString('base64url');
  while (!/[a-zA-Z]/.test(pw) || !/\d/.test(pw));
  return pw;
}

function passwordOf(org: OrgState, userId: string): StoredPassword {
  let byUser = passwords.get(org);
  if (!byUser) passwords.set(org, (byUser = new Map<string, StoredPassword>()));
  let stored = byUser.get(userId);
  if (!stored) byUser.set(userId, (stored = { history: [], expired: false }));
  return stored;
}

function setStoredPassword(stored: StoredPassword, pw: string, expired: boolean): void {
  stored.current = pw;
  stored.history = [pw, ...stored.history].slice(0, 3);
  stored.expired = expired;
}
