/**
 * Which LoginHistory rows are an integration talking to the API and which are a person.
 * `LoginType` values are labels (see the reference's "Finding integrations that run on the wrong user").
 */

export const API_LOGIN_TYPES: readonly string[] = ['Remote Access 2.0', 'Other Apex API', 'Partner Product'];

export {
  INTEGRATION_USER_LICENSE as INTEGRATION_LICENSE_NAME,
  INTEGRATION_PSL as INTEGRATION_PSL_DEVELOPER_NAME,
} from '../permissions/model.js';
export const ADMIN_PROFILE_NAMES: readonly string[] = ['System Administrator'];

/**
 * Salesforce's own interactive apps log in through OAuth ("Remote Access 2.0") but are a person at a
 * screen, not an integration. Heuristic list, matched on `LoginHistory.Application`.
 */
const INTERACTIVE_APPS = [
  /^Salesforce for (iOS|Android|Outlook)\b/i,
  /^Salesforce Mobile\b/i,
  /^Salesforce Authenticator\b/i,
];

/** Salesforce's own apps a person uses on a phone or in a mail client: not integrations. */
export function isInteractiveApp(name?: string): boolean {
  return name !== undefined && INTERACTIVE_APPS.some((re) => re.test(name));
}

export type LoginKind = 'api' | 'ui' | 'other';

export function loginKind(loginType: string, application?: string): LoginKind {
  if (API_LOGIN_TYPES.includes(loginType)) {
    return isInteractiveApp(application) ? 'ui' : 'api';
  }
  // "Application" is the browser login; SSO logins are people too.
  if (loginType === 'Application' || /SAML|SSO/i.test(loginType)) return 'ui';
  return 'other';
}

/** LoginHistory.Application for API logins is often blank or a generic label: name it for the report. */
export function appLabel(loginType: string, application?: string): string {
  const app = application?.trim();
  if (app && app !== 'N/A') return app;
  return `(unnamed ${loginType} client)`;
}
