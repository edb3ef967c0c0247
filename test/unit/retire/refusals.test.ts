/**
 * Every refusal Salesforce gives for a deactivation (or reactivation), as its documentation quotes it, maps to an
 * action. The texts are Salesforce's (sources in docs/salesforce-behaviour.md, "Retiring a user"), not the emulator's.
 */
import { expect } from 'chai';
import { hierarchyFieldLabel, mapRefusal, type RefusalReason } from '../../../src/retire/refusals.js';

const CASES: Array<{ reason: RefusalReason; text: string; code?: string; action: RegExp }> = [
  // KA 000384586
  {
    reason: 'default-case-owner',
    text: 'You cannot deactivate this user. You cannot deactivate a user who is the default owner of cases',
    action: /Support Settings.*Default Case Owner and Automated Case User/,
  },
  {
    reason: 'default-workflow-user',
    text: ' You cannot deactivate the Default Workflow User',
    action: /Process Automation Settings/,
  },
  // KA 000384962 (API form) and KA 000386275 (UI forms)
  {
    reason: 'hierarchy-field',
    text: 'Cannot complete this operation. Cannot inactivate user that is the value of a hierarchy field: User Hierarchy. : Jane Doe',
    action: /hierarchy field "User Hierarchy"/,
  },
  {
    reason: 'hierarchy-field',
    text: "Cannot inactivate user that is the value of a hierarchy field: 'Backup Approver' ",
    action: /hierarchy field "Backup Approver"/,
  },
  {
    reason: 'hierarchy-field',
    text: 'Cannot inactivate user that is the value of a hierarchy field:{Fieldname}',
    action: /hierarchy field "Fieldname"/,
  },
  // KA 000003585
  {
    reason: 'web-to-lead-creator',
    text: 'You cannot disable the Web to Lead Default Creator',
    action: /Web-to-Lead, change Default Lead Creator/,
  },
  // KA 000383178
  {
    reason: 'case-assignment-rules',
    text: 'You cannot deactivate this user. You cannot deactivate a user who is receiving cases or notifications as part of your case assignment/escalation rules. Click here to view your case assignment / escalation rules.',
    action: /Case Assignment Rules and Escalation Rules/,
  },
  // KA 000187291 / 005385527 name these settings; their exact texts are UNCONFIRMED: matched loosely
  { reason: 'default-lead-owner', text: 'You cannot deactivate the Default Lead Owner', action: /Lead Settings/ },
  {
    reason: 'portal-admin',
    text: "You can't deactivate a user that's selected as a Customer Portal Administrator.",
    action: /Customer Portal Settings/,
  },
  {
    reason: 'workflow-email-alert',
    text: "You can't deactivate a user who's assigned as the sole recipient of a workflow email alert.",
    action: /Email Alerts/,
  },
  { reason: 'approval-process', text: 'This user is an approver in an approval process', action: /Approval Processes/ },
  // a validation rule answers with its own message, whatever it says
  {
    reason: 'validation-rule',
    text: 'Approvals team must sign off first',
    code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
    action: /validation rule on User/,
  },
  {
    reason: 'last-admin',
    text: 'whatever the text is',
    code: 'CANNOT_DISABLE_LAST_ADMIN',
    action: /System Administrator profile/,
  },
  // reactivation without a seat
  { reason: 'license-limit', text: 'License Limit Exceeded', code: 'LICENSE_LIMIT_EXCEEDED', action: /free seat/ },
  { reason: 'license-limit', text: 'LICENSE_LIMIT_EXCEEDED: License Limit Exceeded', action: /free seat/ },
];

describe('retire: Salesforce deactivation refusals mapped to actions', () => {
  for (const c of CASES) {
    it(`${c.reason}: "${c.text.slice(0, 60)}…"`, () => {
      const r = mapRefusal(c.text, c.code);
      expect(r.reason).to.equal(c.reason);
      expect(r.message).to.equal(c.text);
      expect(r.action).to.match(c.action);
    });
  }

  it('a SOAP-style code (sf:CODE) is recognised', () => {
    expect(mapRefusal('x', 'sf:CANNOT_DISABLE_LAST_ADMIN').reason).to.equal('last-admin');
  });

  it("an unknown refusal keeps Salesforce's text and says the user stays frozen", () => {
    const r = mapRefusal('Something new Salesforce says', 'FIELD_INTEGRITY_EXCEPTION');
    expect(r.reason).to.equal('unknown');
    expect(r.action).to.contain('stays frozen');
  });

  it('every reason but unknown has a case above', () => {
    const covered = new Set(CASES.map((c) => c.reason));
    const all: RefusalReason[] = [
      'default-workflow-user',
      'case-assignment-rules',
      'default-case-owner',
      'hierarchy-field',
      'web-to-lead-creator',
      'default-lead-owner',
      'portal-admin',
      'workflow-email-alert',
      'approval-process',
      'validation-rule',
      'last-admin',
      'license-limit',
    ];
    expect(all.filter((r) => !covered.has(r))).to.deep.equal([]);
  });

  it('reads the hierarchy field label from each known form', () => {
    expect(hierarchyFieldLabel('… hierarchy field: User Hierarchy. : Jane Doe')).to.equal('User Hierarchy');
    expect(hierarchyFieldLabel('no field here')).to.equal(undefined);
  });
});
