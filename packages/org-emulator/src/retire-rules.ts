/**
 * Why Salesforce refuses to deactivate a user, with its texts, and what a login attempt by a frozen or inactive user
 * leaves in LoginHistory. Sources and status (CONFIRMED / UNCONFIRMED) are listed in docs/salesforce-behaviour.md,
 * "Retiring a user". The error code of each refusal is not documented anywhere public: FIELD_INTEGRITY_EXCEPTION is
 * a stand-in, and clients must match on the text, as the plugin does.
 */
import { ApiError } from './errors.js';
import type { OrgState, Rec } from './state.js';

export type DeactivationBlock =
  | 'default-case-owner'
  | 'default-workflow-user'
  | 'hierarchy-field'
  | 'web-to-lead-creator'
  | 'case-assignment-rules'
  | 'portal-admin'
  | 'workflow-email-alert'
  | 'validation-rule';

export type Blocker = {
  reason: DeactivationBlock;
  /** hierarchy-field: the field's label; validation-rule: the rule's error message */
  detail?: string;
  /** hierarchy-field: the name of the user whose field points at this one */
  referrer?: string;
};

/** The texts Salesforce answers (see the source of each in docs/salesforce-behaviour.md). */
export const DEACTIVATION_TEXTS: Record<DeactivationBlock, (b: Blocker) => string> = {
  // KA 000384586 (CONFIRMED)
  'default-case-owner': () =>
    'You cannot deactivate this user. You cannot deactivate a user who is the default owner of cases',
  // KA 000384586 (CONFIRMED)
  'default-workflow-user': () => 'You cannot deactivate the Default Workflow User',
  // KA 000384962, as the API (Data Loader) answers it (CONFIRMED)
  'hierarchy-field': (b) =>
    `Cannot complete this operation. Cannot inactivate user that is the value of a hierarchy field: ${b.detail ?? 'User Hierarchy'}. : ${b.referrer ?? 'Jane Doe'}`,
  // KA 000003585 (CONFIRMED)
  'web-to-lead-creator': () => 'You cannot disable the Web to Lead Default Creator',
  // KA 000383178 (CONFIRMED)
  'case-assignment-rules': () =>
    'You cannot deactivate this user. You cannot deactivate a user who is receiving cases or notifications as part of your case assignment/escalation rules. Click here to view your case assignment / escalation rules.',
  // "Considerations for Deactivating Users" (third-party copy): the API's text is UNCONFIRMED
  'portal-admin': () => "You can't deactivate a user that's selected as a Customer Portal Administrator.",
  // same page: UNCONFIRMED text
  'workflow-email-alert': () =>
    "You can't deactivate a user who's assigned as the sole recipient of a workflow email alert.",
  // a validation rule on User answers with its own message
  'validation-rule': (b) => b.detail ?? 'Deactivation is blocked by a validation rule.',
};

const blockers = new WeakMap<OrgState, Map<string, Blocker[]>>();

/** Test and seed access: make the org refuse to deactivate this user (Setup settings the API can't change). */
export function blockDeactivation(org: OrgState, userId: string, blocker: Blocker): void {
  let m = blockers.get(org);
  if (!m) blockers.set(org, (m = new Map<string, Blocker[]>()));
  m.set(userId, [...(m.get(userId) ?? []), blocker]);
}

/** The admin fixed the setting in Setup. */
export function clearDeactivationBlocks(org: OrgState, userId: string, reason?: DeactivationBlock): void {
  const m = blockers.get(org);
  if (!m) return;
  const left = reason ? (m.get(userId) ?? []).filter((b) => b.reason !== reason) : [];
  if (left.length) m.set(userId, left);
  else m.delete(userId);
}

const ADMIN_PROFILE = 'System Administrator';

/**
 * Throws Salesforce's refusal when `user` is being deactivated and must not be. One refusal at a time, as
 * Salesforce reports them (a practitioner's note: the next appears only once the first is fixed).
 */
export function checkDeactivation(org: OrgState, user: Rec, values: Record<string, unknown>): void {
  if (values.IsActive !== false || user.IsActive !== true) return;
  const first = blockers.get(org)?.get(user.Id)?.[0];
  if (first) {
    const code = first.reason === 'validation-rule' ? 'FIELD_CUSTOM_VALIDATION_EXCEPTION' : 'FIELD_INTEGRITY_EXCEPTION';
    throw new ApiError(code, DEACTIVATION_TEXTS[first.reason](first), []);
  }
  const isAdmin = (u: Rec): boolean => org.get(u.ProfileId as string)?.Name === ADMIN_PROFILE;
  if (isAdmin(user) && !org.find('User', (u) => u.Id !== user.Id && u.IsActive === true && isAdmin(u))) {
    // the code exists in Salesforce's StatusCode enum; its message is UNCONFIRMED
    throw new ApiError(
      'CANNOT_DISABLE_LAST_ADMIN',
      'You cannot deactivate the last active System Administrator in your organization.',
      [],
    );
  }
}

export type LoginAttempt = { loginType?: string; application?: string; at?: Date | string; sourceIp?: string };

/** UNCONFIRMED exact values (no Salesforce list exists); clients should match "Frozen" case-insensitively. */
export const FROZEN_STATUS = 'User is Frozen';
export const INACTIVE_STATUS = 'User is Inactive';

/**
 * A login attempt by a user (an integration logging in): recorded in LoginHistory as Salesforce does for every
 * attempt, successful or not. A frozen or inactive user's attempt fails; a successful OAuth attempt marks the app's
 * token as used. Returns the LoginHistory row.
 */
export function attemptLogin(org: OrgState, username: string, attempt: LoginAttempt = {}): Rec {
  const user = org.userByUsername(username);
  if (!user) throw new Error(`attemptLogin: unknown user ${username}`);
  const login = org.find('UserLogin', (l) => l.UserId === user.Id);
  const status = user.IsActive !== true ? INACTIVE_STATUS : login?.IsFrozen === true ? FROZEN_STATUS : 'Success';
  const at = attempt.at ? new Date(attempt.at) : new Date();
  const loginType = attempt.loginType ?? 'Remote Access 2.0';
  if (status === 'Success') {
    org.update(user, { LastLoginDate: at.getTime() });
    const token = attempt.application
      ? org.find('OauthToken', (t) => t.UserId === user.Id && t.AppName === attempt.application)
      : undefined;
    if (token) org.update(token, { LastUsedDate: at.getTime(), UseCount: Number(token.UseCount ?? 0) + 1 });
  }
  return org.insert('LoginHistory', {
    UserId: user.Id,
    LoginTime: at.toISOString(),
    LoginType: loginType,
    Application: attempt.application ?? null,
    SourceIp: attempt.sourceIp ?? '203.0.113.10',
    Status: status,
  });
}
