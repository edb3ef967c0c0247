import type { AppUsage, AuditUser, Candidate, CandidateClass, LoginAggregate, OauthTokenRow, Risk } from './types.js';
import { INTEGRATION_USER_LICENSE as INTEGRATION_LICENSE_NAME } from '../permissions/model.js';
import { ADMIN_PROFILE_NAMES, appLabel, isInteractiveApp, loginKind } from './login-types.js';

export type ClassifyInput = {
  users: AuditUser[];
  logins: LoginAggregate[];
  tokens: OauthTokenRow[];
  /** Start of the period: tokens last used before it are not counted as activity. */
  since: Date;
  /** Whether LoginHistory could be read: without it, a person's UI logins can't be seen. */
  loginHistoryRead: boolean;
  /** How the org was named on the command line, for the next commands. */
  targetOrg: string;
};

/** Most serious first: the order `class` is chosen in. */
const CLASS_ORDER: CandidateClass[] = [
  'person-and-integration',
  'admin-integration',
  'shared-integration',
  'api-only-full-license',
  'integration-license',
];

const RISKS_BY_CLASS: Record<CandidateClass, Risk[]> = {
  'person-and-integration': [
    'compromised-credentials',
    'untraceable-changes',
    'excess-permissions',
    'offboarding-breaks-integration',
  ],
  'admin-integration': ['compromised-credentials', 'excess-permissions'],
  'shared-integration': ['compromised-credentials', 'untraceable-changes'],
  'api-only-full-license': ['excess-permissions'],
  'integration-license': [],
};

const RISK_ORDER: Risk[] = [
  'compromised-credentials',
  'untraceable-changes',
  'excess-permissions',
  'offboarding-breaks-integration',
];

type Activity = { apps: Map<string, AppUsage>; apiLogins: number; uiLogins: number; lastApiLogin?: string };

const later = (a?: string, b?: string): string | undefined => (!a ? b : !b ? a : a >= b ? a : b);

function activityByUser(logins: LoginAggregate[], tokens: OauthTokenRow[], since: Date): Map<string, Activity> {
  const byUser = new Map<string, Activity>();
  const get = (userId: string): Activity => {
    let a = byUser.get(userId);
    if (!a) {
      a = { apps: new Map(), apiLogins: 0, uiLogins: 0 };
      byUser.set(userId, a);
    }
    return a;
  };
  for (const row of logins) {
    const kind = loginKind(row.loginType, row.application);
    if (kind === 'other') continue;
    const a = get(row.userId);
    if (kind === 'ui') {
      a.uiLogins += row.count;
      continue;
    }
    a.apiLogins += row.count;
    a.lastApiLogin = later(a.lastApiLogin, row.last);
    const name = appLabel(row.loginType, row.application);
    const app = a.apps.get(name) ?? { app: name, logins: 0, loginTypes: [] };
    app.logins += row.count;
    app.lastLogin = later(app.lastLogin, row.last);
    if (!app.loginTypes.includes(row.loginType)) app.loginTypes.push(row.loginType);
    a.apps.set(name, app);
  }
  const sinceIso = since.toISOString();
  for (const t of tokens) {
    // A token unused within the period is history, not an integration running now.
    if (!t.lastUsedDate || t.lastUsedDate < sinceIso || isInteractiveApp(t.appName)) continue;
    const a = get(t.userId);
    const app = a.apps.get(t.appName) ?? { app: t.appName, logins: 0, loginTypes: [] };
    app.tokenUseCount = (app.tokenUseCount ?? 0) + (t.useCount ?? 0);
    app.tokenLastUsed = later(app.tokenLastUsed, t.lastUsedDate);
    a.apps.set(t.appName, app);
  }
  return byUser;
}

/** Split an email-shaped username so the suggested new users land in the same domain. */
function splitUsername(username: string): { local: string; domain: string } {
  const at = username.lastIndexOf('@');
  return at < 0
    ? { local: username, domain: 'example.com' }
    : { local: username.slice(0, at), domain: username.slice(at + 1) };
}

export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30)
    .replace(/-+$/, '');
  return s || 'app';
}

export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

function createCommand(targetOrg: string, newUsername: string, fromUser: string): string {
  return [
    'sf integration-user create',
    `--target-org ${shellQuote(targetOrg)}`,
    `--username ${shellQuote(newUsername)}`,
    `--from-user ${shellQuote(fromUser)}`,
  ].join(' ');
}

function nextCommands(user: AuditUser, traits: CandidateClass[], apps: AppUsage[], targetOrg: string): string[] {
  const { local, domain } = splitUsername(user.username);
  const perApp = traits.includes('shared-integration') || traits.includes('person-and-integration');
  if (perApp) {
    // One user per integration: each system's changes become traceable and its access its own.
    const used = new Set<string>();
    return apps.map((a) => {
      // "(unnamed Other Apex API client)" → other-apex-api
      const base = slug(a.app.replace(/^\(unnamed (.*) client\)$/, '$1'));
      let name = `${base}.integration@${domain}`;
      for (let i = 2; used.has(name) || name === user.username; i++) name = `${base}-${i}.integration@${domain}`;
      used.add(name);
      return createCommand(targetOrg, name, user.username);
    });
  }
  if (traits.includes('integration-license')) return [];
  let name = `${local}.integration@${domain}`;
  if (name === user.username) name = `${local}.new@${domain}`;
  return [createCommand(targetOrg, name, user.username)];
}

/** Classify every active user that shows integration activity, plus every user already on the Integration license. */
export function classify(input: ClassifyInput): Candidate[] {
  const activity = activityByUser(input.logins, input.tokens, input.since);
  const candidates: Candidate[] = [];
  for (const user of input.users) {
    if (!user.isActive) continue;
    const a = activity.get(user.id) ?? { apps: new Map<string, AppUsage>(), apiLogins: 0, uiLogins: 0 };
    const onIntegrationLicense = user.userLicenseName === INTEGRATION_LICENSE_NAME;
    const apps = [...a.apps.values()].sort((x, y) => x.app.localeCompare(y.app));
    const hasIntegration = apps.length > 0;
    if (!hasIntegration && !onIntegrationLicense) continue;

    const traits: CandidateClass[] = [];
    if (onIntegrationLicense) traits.push('integration-license');
    if (hasIntegration && a.uiLogins > 0 && !onIntegrationLicense) traits.push('person-and-integration');
    const admin =
      user.modifyAllData === true || (user.profileName !== undefined && ADMIN_PROFILE_NAMES.includes(user.profileName));
    if (hasIntegration && admin) {
      traits.push('admin-integration');
    }
    if (apps.length > 1) traits.push('shared-integration');
    if (hasIntegration && !onIntegrationLicense && a.uiLogins === 0) traits.push('api-only-full-license');
    traits.sort((x, y) => CLASS_ORDER.indexOf(x) - CLASS_ORDER.indexOf(y));

    // A shared user keeps "integration-license" as its class only when it has just one app.
    const primary = onIntegrationLicense && !traits.includes('shared-integration') ? 'integration-license' : traits[0];
    const risks = RISK_ORDER.filter((r) => traits.some((t) => RISKS_BY_CLASS[t].includes(r)));
    const movable = !onIntegrationLicense && hasIntegration && a.uiLogins === 0;
    // Integrations beyond the first need their own user; an integration on a person's user needs one each.
    const extraSeats = traits.includes('person-and-integration') ? apps.length : Math.max(0, apps.length - 1);

    candidates.push({
      userId: user.id,
      username: user.username,
      name: user.name,
      profile: user.profileName,
      license: user.userLicenseName,
      class: primary,
      traits,
      risks,
      apps,
      apiLogins: a.apiLogins,
      uiLogins: a.uiLogins,
      lastApiLogin: a.lastApiLogin,
      movable,
      extraSeats,
      nextCommands: nextCommands(user, traits, apps, input.targetOrg),
      notes:
        hasIntegration && !onIntegrationLicense && !input.loginHistoryRead
          ? ['LoginHistory was not readable: UI logins by a person on this user could not be checked.']
          : [],
    });
  }
  return candidates.sort(
    (x, y) => CLASS_ORDER.indexOf(x.class) - CLASS_ORDER.indexOf(y.class) || x.username.localeCompare(y.username),
  );
}
