/**
 * Salesforce's reasons for refusing to deactivate (or reactivate) a user, mapped to what the admin does about each.
 * Salesforce documents the texts but not the error codes (docs/salesforce-behaviour.md, "Retiring a user"), so
 * refusals are recognised by their text, case-insensitively and loosely, plus the few codes that are known.
 */
export type RefusalReason =
  | 'default-workflow-user'
  | 'case-assignment-rules'
  | 'default-case-owner'
  | 'hierarchy-field'
  | 'web-to-lead-creator'
  | 'default-lead-owner'
  | 'portal-admin'
  | 'workflow-email-alert'
  | 'approval-process'
  | 'validation-rule'
  | 'last-admin'
  | 'license-limit'
  | 'unknown';

export type Refusal = { reason: RefusalReason; message: string; action: string };

type Rule = { reason: RefusalReason; test: (text: string, code: string) => boolean; action: (text: string) => string };

const has =
  (re: RegExp) =>
  (text: string): boolean =>
    re.test(text);

/** The field label in "… value of a hierarchy field: Approver. : Jane Doe" or "…hierarchy field:{Fieldname}". */
export function hierarchyFieldLabel(text: string): string | undefined {
  const m = /hierarchy field:\s*'?\s*\{?([^.:'}]+?)\}?\s*'?\s*(?:\.|:|$)/i.exec(text);
  return m?.[1]?.trim() || undefined;
}

// Known codes first (a validation rule's own text could say anything), then the most specific texts: the case
// assignment text also says "deactivate a user who is receiving cases".
const RULES: Rule[] = [
  {
    reason: 'validation-rule',
    test: (_text, code) => code === 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
    action: () =>
      'A validation rule on User refuses the change: adjust the rule (for example allow ISCHANGED(IsActive) for admins) or ask its owner, then run the same command again.',
  },
  {
    reason: 'last-admin',
    test: (text, code) => code === 'CANNOT_DISABLE_LAST_ADMIN' || /last (active )?(system )?admin/i.test(text),
    action: () => 'Give another active user the System Administrator profile first.',
  },
  {
    reason: 'license-limit',
    test: (text, code) => code === 'LICENSE_LIMIT_EXCEEDED' || /license limit exceeded/i.test(text),
    action: () =>
      "No free seat of the user's license: free one (deactivate another user of that license, or buy one), then run the same command again. sf integration-user licenses shows the seats.",
  },
  {
    reason: 'default-workflow-user',
    test: has(/default workflow user/i),
    action: () =>
      'In Setup > Process Automation Settings, set Default Workflow User to another active user, then run the same command again.',
  },
  {
    reason: 'case-assignment-rules',
    test: has(/assignment\s*\/\s*escalation rules|escalation rule|case assignment/i),
    action: () =>
      'In Setup > Case Assignment Rules and Escalation Rules, replace the user in every rule entry and escalation action (inactive rules count too), then run the same command again.',
  },
  {
    reason: 'default-case-owner',
    test: has(/default owner of cases|default case owner|automated case (user|owner)|default case creator/i),
    action: () =>
      'In Setup > Support Settings, change Default Case Owner and Automated Case User to another user or queue, then run the same command again.',
  },
  {
    reason: 'hierarchy-field',
    test: has(/hierarchy field/i),
    action: (text) => {
      const field = hierarchyFieldLabel(text);
      return (
        `Clear the user from the custom hierarchy field${field ? ` "${field}"` : ''} on the users that point at it (query User where that field is this user's Id, and update them). ` +
        'A deleted hierarchy field still counts: erase it permanently first. Then run the same command again.'
      );
    },
  },
  {
    reason: 'web-to-lead-creator',
    test: has(/web.?to.?lead/i),
    action: () =>
      'In Setup > Web-to-Lead, change Default Lead Creator to another active user, then run the same command again.',
  },
  {
    reason: 'default-lead-owner',
    test: has(/default lead owner|lead settings/i),
    action: () => 'In Setup > Lead Settings, change Default Lead Owner, then run the same command again.',
  },
  {
    reason: 'portal-admin',
    test: has(/portal admin/i),
    action: () => 'In Setup > Customer Portal Settings, choose another Administrator, then run the same command again.',
  },
  {
    reason: 'workflow-email-alert',
    test: has(/email alert/i),
    action: () =>
      'In Setup > Email Alerts, add another recipient or replace the user in each alert that names it alone, then run the same command again.',
  },
  {
    reason: 'approval-process',
    test: has(/approv/i),
    action: () =>
      "In Setup > Approval Processes (and users' Delegated Approver), replace the user as approver, then run the same command again.",
  },
];

/** What Salesforce's refusal means and what to do; `unknown` keeps Salesforce's text with a generic action. */
export function mapRefusal(message: string, errorCode = ''): Refusal {
  const code = errorCode.replace(/^sf:/, '');
  const rule = RULES.find((r) => r.test(message, code));
  if (rule) return { reason: rule.reason, message, action: rule.action(message) };
  return {
    reason: 'unknown',
    message,
    action:
      'Fix what Salesforce names (deactivating the user in Setup shows the same error with a link to the setting), then run the same command again. The user stays frozen meanwhile.',
  };
}
