/**
 * The org writes of retire, each idempotent against what the check read: the caller re-reads before a re-run, so a
 * write whose answer was lost is found done instead of repeated.
 */
import type { Connection } from '@salesforce/core';
import { errorCode } from '../org-api/errors.js';
import type { RevocableToken } from './check.js';

export async function setFrozen(conn: Connection, userLoginId: string, frozen: boolean): Promise<void> {
  await conn.sobject('UserLogin').update({ Id: userLoginId, IsFrozen: frozen });
}

export async function setActive(conn: Connection, userId: string, active: boolean): Promise<void> {
  await conn.sobject('User').update({ Id: userId, IsActive: active });
}

/**
 * Revokes one token at `/services/oauth2/revoke` with its DeleteToken (the Object Reference's way for an admin to
 * revoke another user's token). `invalid_token` means it is already gone (revoked earlier, or expired).
 */
export async function revokeToken(conn: Connection, token: RevocableToken): Promise<'revoked' | 'already gone'> {
  if (!token.deleteToken) throw new Error(`the OauthToken of ${token.app} has no DeleteToken to revoke it with`);
  const res = await fetch(new URL('/services/oauth2/revoke', conn.instanceUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: token.deleteToken }).toString(),
  });
  if (res.ok) return 'revoked';
  const body = (await res.json().catch(() => ({}))) as { error?: string; error_description?: string };
  if (res.status === 400 && body.error === 'invalid_token') return 'already gone';
  throw new Error(
    `Salesforce refused to revoke the token of ${token.app}: HTTP ${res.status} ${body.error ?? ''} ${body.error_description ?? ''}`.trim(),
  );
}

/** Ends the user's sessions (AuthSession supports delete); a session already gone counts as ended. */
export async function endSessions(conn: Connection, userId: string): Promise<number> {
  const { records } = await conn.query<{ Id: string }>(`SELECT Id FROM AuthSession WHERE UsersId = '${userId}'`);
  let ended = 0;
  for (const s of records) {
    try {
      await conn.sobject('AuthSession').destroy(s.Id);
      ended++;
    } catch (e) {
      if (!['ENTITY_IS_DELETED', 'NOT_FOUND'].includes(errorCode(e))) throw e;
    }
  }
  return ended;
}
