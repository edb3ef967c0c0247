import type { EmulatorSeed } from '@sf-integration-user/org-emulator';
import { LOGINS, TOKENS, USERS } from '../../unit/audit/small-org.js';

/** The small org of the in-process tests, as an emulator seed (without the portal user). */
export function smallEmulatorSeed(): EmulatorSeed {
  const byId = new Map(USERS.map((u) => [u.Id, u.Username]));
  const users = USERS.filter((u) => !u.UserType);
  const known = new Set(users.map((u) => u.Username));
  return {
    type: 'production',
    edition: 'Enterprise Edition',
    users: users.map((u) => ({
      username: u.Username,
      lastName: u.Name,
      profile: u.Profile.Name,
      isActive: u.IsActive ?? true,
    })),
    loginHistory: LOGINS.filter((l) => known.has(byId.get(l.UserId)!)).map((l) => ({
      username: byId.get(l.UserId)!,
      loginTime: l.LoginTime,
      loginType: l.LoginType,
      application: l.Application,
    })),
    oauthTokens: TOKENS.map((t) => ({
      username: byId.get(t.UserId)!,
      appName: t.AppName,
      lastUsedDate: t.LastUsedDate,
      useCount: t.UseCount,
    })),
  };
}
