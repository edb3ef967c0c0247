/**
 * The user, its permission set license and its permission set assignments in one REST Composite request with
 * allOrNone (one transaction: all made, or none). Whether Salesforce lets these setup objects share a transaction is
 * UNCONFIRMED (docs/salesforce-behaviour.md "Composite API"), so any refusal other than the user's own is answered
 * with "write them one by one" (the caller's step-by-step path), never with a failed run.
 */
import type { Connection } from '@salesforce/core';
import type { PermissionSetRef } from './assignments.js';
import { userRecord, type NewUser } from './users.js';

type SubResult = { referenceId: string; httpStatusCode: number; body: unknown };
type SubError = { errorCode?: string; message?: string };

export type UserWithAccess =
  /** all made: the user's Id */
  | { outcome: 'created'; userId: string }
  /** the user itself refused (nothing made): its error, as a single User create would throw it */
  | { outcome: 'user-refused'; error: Error }
  /** something else refused (nothing made): write one by one; reason for the log */
  | { outcome: 'write-separately'; reason: string };

const ROLLED_BACK = 'PROCESSING_HALTED';

/** Sends the combined write (see the module comment). Throws only what the request itself throws (connection). */
export async function createUserWithAccess(
  conn: Connection,
  user: NewUser,
  pslId: string | undefined,
  sets: readonly PermissionSetRef[],
): Promise<UserWithAccess> {
  const base = `/services/data/v${conn.getApiVersion()}/sobjects`;
  const compositeRequest = [
    { method: 'POST', url: `${base}/User`, referenceId: 'user', body: userRecord(user) },
    ...(pslId
      ? [
          {
            method: 'POST',
            url: `${base}/PermissionSetLicenseAssign`,
            referenceId: 'license',
            body: { AssigneeId: '@{user.id}', PermissionSetLicenseId: pslId },
          },
        ]
      : []),
    ...sets.map((s, i) => ({
      method: 'POST',
      url: `${base}/PermissionSetAssignment`,
      referenceId: `set${i}`,
      body: { AssigneeId: '@{user.id}', PermissionSetId: s.id },
    })),
  ];
  const answer = await conn.request<{ compositeResponse: SubResult[] }>({
    method: 'POST',
    url: `/services/data/v${conn.getApiVersion()}/composite`,
    body: JSON.stringify({ allOrNone: true, compositeRequest }),
    headers: { 'content-type': 'application/json' },
  });
  const results = answer.compositeResponse ?? [];
  const failed = results.find((r) => r.httpStatusCode >= 400 && firstError(r)?.errorCode !== ROLLED_BACK);
  if (!failed) {
    const id = (results[0]?.body as { id?: string } | undefined)?.id;
    return id
      ? { outcome: 'created', userId: id }
      : { outcome: 'write-separately', reason: 'the composite answer has no user Id' };
  }
  const error = firstError(failed);
  if (failed.referenceId === 'user' && error?.errorCode !== 'MIXED_DML_OPERATION') {
    const e = new Error(error?.message ?? 'User create failed');
    e.name = error?.errorCode ?? 'UNKNOWN_ERROR';
    Object.assign(e, { errorCode: error?.errorCode });
    return { outcome: 'user-refused', error: e };
  }
  return { outcome: 'write-separately', reason: `${error?.errorCode ?? 'error'}: ${error?.message ?? ''}` };
}

const firstError = (r: SubResult): SubError | undefined =>
  Array.isArray(r.body) ? (r.body[0] as SubError) : undefined;
