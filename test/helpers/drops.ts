/**
 * A dropped connection in each of create's org steps: the emulator fault that hangs up in that step, and whether the
 * org already holds something of the run's when it does (then the command exits 68, else 1).
 * Shared by the in-process and the real-sf resume tests so both exercise the same requests.
 */
import type { FaultSpec } from '@sf-integration-user/org-emulator';

/**
 * setInOrg: whether the generated permission set is in the org when the step fails (deployed before the user).
 * separateWrites: the org refuses the user, license and assignments in one transaction (the emulator's stricter
 * mixed-DML reading, `compositeMixedDml: 'any-setup-mix'`), so create writes them one by one and each has its own step.
 */
export type StepDrop = {
  step: string;
  partial: boolean;
  setInOrg?: boolean;
  separateWrites?: boolean;
  fault: FaultSpec;
};

/** The user, its license and its assignments: one /composite request (issue 12). */
const COMBINED_WRITE = /\/composite$/;

export const DROP_IN_EACH_STEP: readonly StepDrop[] = [
  // preflight's reads, sent as one /composite/batch (issue 12)
  {
    step: 'preflight',
    partial: false,
    fault: { method: 'POST', path: /\/composite\/batch$/, respond: { drop: true } },
  },
  // the one deploy, before the user exists (issue 12): nothing in the org yet
  { step: 'deploy', partial: false, fault: { soapAction: 'deploy', nth: 1, respond: { drop: true } } },
  // the set is deployed, the user not created: a plain error, the re-run reuses the set
  {
    step: 'create-user',
    partial: false,
    setInOrg: true,
    fault: { method: 'POST', path: COMBINED_WRITE, respond: { drop: true } },
  },
  {
    step: 'assign-license',
    partial: true,
    separateWrites: true,
    fault: { method: 'POST', path: /PermissionSetLicenseAssign$/, respond: { drop: true } },
  },
  {
    step: 'assign-permission-sets',
    partial: true,
    separateWrites: true,
    fault: { method: 'POST', path: /PermissionSetAssignment$|composite\/sobjects/, respond: { drop: true } },
  },
];

/**
 * The org does the write, then the connection drops before its answer arrives: the case where a careless re-run would
 * duplicate records. The command can't know the write happened, so the re-run must find it.
 */
export const ANSWER_LOST_IN_EACH_WRITE: readonly StepDrop[] = [
  {
    step: 'create-user',
    partial: false,
    fault: { method: 'POST', path: COMBINED_WRITE, respond: { dropAfter: true } },
  },
  {
    step: 'assign-license',
    partial: true,
    separateWrites: true,
    fault: { method: 'POST', path: /PermissionSetLicenseAssign$/, respond: { dropAfter: true } },
  },
  {
    step: 'assign-permission-sets',
    partial: true,
    separateWrites: true,
    fault: { method: 'POST', path: /PermissionSetAssignment$|composite\/sobjects/, respond: { dropAfter: true } },
  },
];
