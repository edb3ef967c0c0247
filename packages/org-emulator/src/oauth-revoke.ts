/**
 * `/services/oauth2/revoke`: POST `application/x-www-form-urlencoded` `token=…` (or GET `?token=…`), no session
 * needed: the token names itself. An OauthToken's DeleteToken (what an admin can read for another user's token)
 * revokes that token, as the Object Reference's OauthToken usage says. Success is HTTP 200 with an empty body; an
 * unknown or already revoked token is HTTP 400 `invalid_token` (Mobile SDK guide, "Revoking OAuth Tokens").
 */
import type { OrgState } from './state.js';

export type RevokeReply = { status: number; body?: unknown };

export function revokeToken(orgs: readonly OrgState[], method: string, url: URL, raw: Buffer): RevokeReply {
  if (method !== 'POST' && method !== 'GET')
    return { status: 405, body: { error: 'invalid_request', error_description: 'must use HTTP POST or GET' } };
  const form = method === 'POST' ? new URLSearchParams(raw.toString('utf8')) : url.searchParams;
  const token = form.get('token') ?? url.searchParams.get('token');
  if (!token)
    return { status: 400, body: { error: 'unsupported_token_type', error_description: 'Token type not supported' } };
  for (const org of orgs) {
    const row = org.find('OauthToken', (t) => t.DeleteToken === token);
    if (row) {
      org.remove(row.Id);
      return { status: 200 };
    }
  }
  return { status: 400, body: { error: 'invalid_token', error_description: 'Token was invalid' } };
}
