/**
 * The stages of retire that change the org (freeze, revoke, end sessions, deactivate; unfreeze, reactivate for
 * --undo): each checks what the check read, does its write (steps.ts) only when it is still to do, and returns its
 * status with one line of detail. A refusal (Salesforce's, or a login attempt since the freeze) is exit code 69.
 */
import { Messages, SfError } from '@salesforce/core';
import { freedLicenseSavings } from '../audit/savings.js';
import { errorCode, isConnectionError } from '../org-api/errors.js';
import type { RevocableToken } from './check.js';
import { mapRefusal } from './refusals.js';
import { endSessions, revokeToken, setActive, setFrozen } from './steps.js';
import type { RetireCheck, RetireOptions, RetireResult, Stage } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.retire');

/** A refusal: nothing further was changed, and the error says what to do. */
export const REFUSED_EXIT_CODE = 69;
const DAY_MS = 86_400_000;

/** One run: its options, the result so far, its clock, and whether it has changed the org yet. */
export type Run = { opts: RetireOptions; result: RetireResult; now: Date; changed: boolean };

export type StageOutcome = Omit<Stage, 'name'>;

/** Actions computed at run time (the moves, Salesforce's reason mapped), after any from the messages file. */
export const withActions = (e: SfError, actions: string[]): SfError => {
  e.actions = [...(e.actions ?? []), ...actions];
  return e;
};

/** The day the user may be deactivated: --frozen-days after the freeze (or after now, when not frozen yet). */
export function deactivatableFrom(run: Run, check: RetireCheck): Date {
  const since = check.frozenSince ? new Date(check.frozenSince) : run.now;
  return new Date(since.getTime() + run.opts.frozenDays * DAY_MS);
}

export async function freeze(run: Run, check: RetireCheck): Promise<StageOutcome> {
  if (check.frozen) return { status: 'already done', detail: `frozen since ${check.frozenSince ?? 'an unknown date'}` };
  if (!check.userLoginId) throw messages.createError('error.UserLoginUnreadable', [check.user.username]);
  await setFrozen(run.opts.conn, check.userLoginId, true);
  run.changed = true;
  check.frozen = true;
  check.frozenSince = run.now.toISOString();
  return { status: 'done', detail: 'frozen: every login now fails; the license is kept' };
}

export async function revoke(run: Run, tokens: RevocableToken[] | undefined): Promise<StageOutcome> {
  if (!tokens) return { status: 'skipped', detail: messages.getMessage('info.tokensUnreadable') };
  if (tokens.length === 0) return { status: 'already done', detail: 'no OAuth token left' };
  const gone: string[] = [];
  for (const t of tokens) {
    const outcome = await revokeToken(run.opts.conn, t);
    run.changed = true;
    (outcome === 'revoked' ? run.result.revokedApps : gone).push(t.app);
  }
  const revoked = run.result.revokedApps;
  return {
    status: revoked.length ? 'done' : 'already done',
    detail: [
      revoked.length ? `revoked: ${revoked.join(', ')}` : '',
      gone.length ? `already gone: ${gone.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  };
}

export async function endUserSessions(run: Run, check: RetireCheck): Promise<StageOutcome> {
  const ended = await endSessions(run.opts.conn, check.user.id);
  run.result.sessionsEnded = ended;
  if (ended) run.changed = true;
  return {
    status: ended ? 'done' : 'already done',
    detail: ended ? `${ended} session${ended === 1 ? '' : 's'} ended` : 'no open session',
  };
}

/** Deactivates once frozen long enough with no login attempt since (--force skips both waits), freeing the license. */
export async function deactivate(run: Run, check: RetireCheck): Promise<StageOutcome> {
  const { opts, result, now } = run;
  const license = (freed: boolean): void => {
    result.license = {
      license: check.user.licenseName ?? 'unknown',
      freed,
      ...freedLicenseSavings(check.user.licenseName, opts.prices),
    };
  };
  if (!check.user.isActive) {
    license(true);
    return { status: 'already done', detail: 'the user is inactive' };
  }
  const until = deactivatableFrom(run, check);
  if (!opts.force && until > now) {
    return {
      status: 'waiting',
      detail: messages.getMessage('info.waiting', [opts.frozenDays, until.toISOString().slice(0, 10)]),
    };
  }
  if (!opts.force && check.attemptsSinceFreeze.length > 0) return refuseForAttempts(run, check);
  try {
    await setActive(opts.conn, check.user.id, false);
  } catch (e) {
    throw refused(run, e, 'error.DeactivationRefused', check.user.username);
  }
  run.changed = true;
  check.user.isActive = false;
  license(true);
  return {
    status: 'done',
    detail: `deactivated: a ${check.user.licenseName ?? ''} license is free`.replace('a  license', 'its license'),
  };
}

/** Something still tries to log in as the frozen user: deactivating would break it, so the stage is refused. */
function refuseForAttempts(run: Run, check: RetireCheck): StageOutcome {
  const list = check.attemptsSinceFreeze.map((a) => `${a.time} ${a.app} (${a.loginType}): ${a.status}`);
  run.result.refusals.push({
    reason: 'login-attempts',
    message: list.join('; '),
    action: messages.getMessage('action.attempts'),
  });
  return { status: 'refused', detail: messages.getMessage('info.attempts', [list.length, list[0]]) };
}

export async function unfreeze(run: Run, check: RetireCheck): Promise<StageOutcome> {
  if (!check.frozen) return { status: 'already done', detail: 'not frozen' };
  if (!check.userLoginId) throw messages.createError('error.UserLoginUnreadable', [check.user.username]);
  await setFrozen(run.opts.conn, check.userLoginId, false);
  run.changed = true;
  return { status: 'done', detail: 'unfrozen: the user can log in again' };
}

export async function reactivate(run: Run, check: RetireCheck): Promise<StageOutcome> {
  if (check.user.isActive) return { status: 'already done', detail: 'the user is active' };
  try {
    await setActive(run.opts.conn, check.user.id, true);
  } catch (e) {
    throw refused(run, e, 'error.ReactivationRefused', check.user.username);
  }
  run.changed = true;
  return {
    status: 'done',
    detail: `reactivated: it takes a ${check.user.licenseName ?? ''} seat again`.replace('a  seat', 'a seat'),
  };
}

/**
 * Salesforce refused to change IsActive: its reason mapped to what to do, recorded as a refusal (exit code 69). A
 * lost connection stays what it is: the caller makes it a partial failure.
 */
function refused(
  run: Run,
  e: unknown,
  key: 'error.DeactivationRefused' | 'error.ReactivationRefused',
  username: string,
): unknown {
  if (isConnectionError(e)) return e;
  const refusal = mapRefusal((e as Error).message, errorCode(e));
  run.result.refusals.push(refusal);
  return withActions(messages.createError(key, [username, refusal.message], [], REFUSED_EXIT_CODE), [refusal.action]);
}
