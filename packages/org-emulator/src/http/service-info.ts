/** What a client asks before anything else: the API versions (/services/data), a version's resources, OAuth userinfo. */
import { myDomainUrl } from '../refresh.js';
import type { OrgState } from '../state.js';

const RELEASES = ['Winter', 'Spring', 'Summer'];

/** Every version from 31.0 to max with its release label (Winter '15 …). */
export function versions(max: string): Array<{ label: string; url: string; version: string }> {
  const out = [];
  for (let v = 31; v <= Number(max); v++) {
    const label = `${RELEASES[(v - 31) % 3]} '${String(15 + Math.floor((v - 31 + 1) / 3)).padStart(2, '0')}`;
    out.push({ label, url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return out;
}

const VERSION_RESOURCES = [
  'tooling',
  'metadata',
  'eclair',
  'folders',
  'prechatForms',
  'contact-tracing',
  'jsonxform',
  'chatter',
  'tabs',
  'appMenu',
  'quickActions',
  'queryAll',
  'commerce',
  'wave',
  'iot',
  'analytics',
  'search',
  'smartdatadiscovery',
  'identity',
  'composite',
  'parameterizedSearch',
  'fingerprint',
  'theme',
  'nouns',
  'domino',
  'event',
  'serviceTemplates',
  'recent',
  'connect',
  'licensing',
  'limits',
  'process',
  'dedupe',
  'async-queries',
  'query',
  'jobs',
  'match',
  'localizedvalue',
  'mobile',
  'emailConnect',
  'consent',
  'tokenizer',
  'compactLayouts',
  'knowledgeManagement',
  'sobjects',
  'actions',
  'support',
];

/** /services/data/vXX.X: the version's resources by name. */
export function versionRoot(version: string): Record<string, string> {
  const base = `/services/data/v${version}`;
  return Object.fromEntries(VERSION_RESOURCES.map((n) => [n, n === 'identity' ? `/id` : `${base}/${n}`]));
}

/** /services/oauth2/userinfo for the org's admin (the token's user). */
export function userinfo(org: OrgState, baseUrl: string): Record<string, unknown> {
  const user = org.get(org.adminUserId)!;
  const lic = org.userLicenseOfUser(user);
  return {
    sub: `${baseUrl}/id/${org.id}/${user.Id}`,
    user_id: user.Id,
    organization_id: org.id,
    preferred_username: user.Username,
    nickname: user.CommunityNickname,
    name: [user.FirstName, user.LastName].filter(Boolean).join(' '),
    email: user.Email,
    email_verified: true,
    given_name: user.FirstName ?? '',
    family_name: user.LastName,
    zoneinfo: user.TimeZoneSidKey,
    locale: user.LocaleSidKey,
    language: user.LanguageLocaleKey,
    active: user.IsActive,
    user_type: 'STANDARD',
    is_salesforce_integration_user: lic?.Name === 'Salesforce Integration',
    // the org's My Domain URL: where a real org names its sandbox (MyDomainName--SandboxName.sandbox.my.salesforce.com)
    urls: {
      custom_domain: myDomainUrl(org),
      rest: `${baseUrl}/services/data/v{version}/`,
      sobjects: `${baseUrl}/services/data/v{version}/sobjects/`,
      query: `${baseUrl}/services/data/v{version}/query/`,
      metadata: `${baseUrl}/services/Soap/m/{version}/${org.id.slice(0, 15)}`,
    },
    updated_at: new Date().toISOString(),
  };
}
