/**
 * Runs retire's stages in order (check, freeze, revoke + end sessions, deactivate; or unfreeze + reactivate for
 * --undo). Each run starts by reading the org, so each stage is skipped when already done: a run cut short is resumed
 * by the same command, nothing done twice. Refusals (in use, the running user, the last admin, the org's own) change
 * nothing further and say what to do.
 */
import { Messages, SfError } from '@salesforce/core';
import { connectionLostError, isConnectionError, PARTIAL_EXIT_CODE } from '../org-api/errors.js';
import { checkUser, RetireReader, type RevocableToken } from './check.js';
import {
  deactivatableFrom,
  deactivate,
  endUserSessions,
  freeze,
  reactivate,
  REFUSED_EXIT_CODE,
  revoke,
  unfreeze,
  withActions,
  type Run,
  type StageOutcome,
} from './stages.js';
import type { RetireCheck, RetireOptions, RetireResult, Stage, StageName, TargetUser } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.retire');

/** The stages a run goes through, in order, for the progress display. */
export function stagesFor(opts: Pick<RetireOptions, 'undo' | 'revoke' | 'deactivate'>): StageName[] {
  if (opts.undo) return ['check', 'unfreeze', 'reactivate'];
  const revoke = opts.revoke || opts.deactivate;
  return [
    'check',
    'freeze',
    ...(revoke ? (['revoke', 'sessions'] as const) : []),
    ...(opts.deactivate ? (['deactivate'] as const) : []),
  ];
}

export async function runRetire(opts: RetireOptions): Promise<RetireResult> {
  const now = opts.now ?? new Date();
  const result: RetireResult = {
    username: opts.username,
    mode: opts.undo ? 'undo' : 'retire',
    dryRun: opts.dryRun ?? false,
    success: false,
    stages: [],
    revokedApps: [],
    sessionsEnded: 0,
    refusals: [],
    nextSteps: [],
  };
  const run: Run = { opts, result, now, changed: false };
  let current: StageName = 'check';
  const stage: StageFn = async (name, body) => {
    current = name;
    opts.progress?.start?.(name);
    const s: Stage = { name, ...(await body()) };
    result.stages.push(s);
    opts.progress?.end?.(s);
    return s;
  };

  const reader = new RetireReader(opts.conn);
  let tokens: RevocableToken[] | undefined;
  try {
    await stage('check', async () => {
      const user = await guardedUser(reader, opts);
      result.userId = user.id;
      ({ check: result.check, tokens } = await checkUser(reader, user, {
        days: opts.days,
        now,
        targetOrg: opts.targetOrg,
      }));
      return { status: 'done', detail: checkDetail(result.check) };
    });
    const check = result.check!;
    if (opts.undo) await undo(run, check, stage);
    else await retire(run, check, tokens, stage);
  } catch (e) {
    if (e instanceof SfError && e.data === undefined) e.setData(result);
    if (!run.changed && !isWriteStage(current))
      throw isConnectionError(e) ? withData(connectionLostError(current, e), result) : e;
    if (e instanceof SfError && e.exitCode === REFUSED_EXIT_CODE) throw e;
    const reason = isConnectionError(e) ? messages.getMessage('error.connectionLost') : (e as Error).message;
    const done = result.stages.filter((s) => s.status === 'done').map((s) => s.name);
    throw withData(
      messages.createError(
        'error.PartialFailure',
        [current, reason, done.join(', ') || 'nothing'],
        [],
        PARTIAL_EXIT_CODE,
      ),
      result,
    );
  }
  result.success = true;
  return result;
}

const isWriteStage = (s: StageName): boolean => s !== 'check';
const withData = (e: SfError, data: RetireResult): SfError => e.setData(data);

/** The user, unless it must never be retired: not found, the running user, the last active System Administrator. */
async function guardedUser(reader: RetireReader, opts: RetireOptions): Promise<TargetUser> {
  const user = await reader.user(opts.username);
  if (!user) throw messages.createError('error.UserNotFound', [opts.username]);
  if (user.username.toLowerCase() === (opts.conn.getUsername() ?? '').toLowerCase()) {
    throw messages.createError('error.RunningUser', [user.username], [], REFUSED_EXIT_CODE);
  }
  if (
    !opts.undo &&
    user.isActive &&
    user.profileName === 'System Administrator' &&
    (await reader.otherActiveAdmins(user.id)) === 0
  ) {
    throw messages.createError('error.LastAdmin', [user.username], [], REFUSED_EXIT_CODE);
  }
  return user;
}

function checkDetail(c: RetireCheck): string {
  const parts = [
    c.user.isActive ? 'active' : 'inactive',
    c.frozen ? `frozen since ${c.frozenSince ?? 'an unknown date'}` : 'not frozen',
    c.inUse.length
      ? `${c.inUse.length} use${c.inUse.length === 1 ? '' : 's'} found`
      : `no use in the last ${c.period.days} days`,
    `${c.tokens.length} OAuth token${c.tokens.length === 1 ? '' : 's'}`,
  ];
  if (c.gaps.length) parts.push(`unreadable: ${c.gaps.map((g) => g.source).join(', ')}`);
  return parts.join('; ');
}

type StageFn = (name: StageName, body: () => Promise<StageOutcome>) => Promise<Stage>;

async function retire(
  run: Run,
  check: RetireCheck,
  tokens: RevocableToken[] | undefined,
  stage: StageFn,
): Promise<void> {
  const { opts, result } = run;
  // The decision to retire is taken when first freezing: a frozen user's failed attempts gate deactivation instead.
  if (!check.frozen && check.user.isActive && check.inUse.length > 0 && !opts.force) {
    throw withActions(
      messages.createError(
        'error.UserInUse',
        [check.user.username, check.inUse.map((u) => `  - ${u}`).join('\n')],
        [],
        REFUSED_EXIT_CODE,
      ),
      check.moves,
    );
  }
  const plan = stagesFor(opts).slice(1);
  if (opts.dryRun) {
    for (const name of plan)
      await stage(name, () => Promise.resolve({ status: 'planned', detail: plannedDetail(name, check, tokens) }));
    result.nextSteps.push(messages.getMessage('next.dryRun'));
    return;
  }
  await stage('freeze', () => freeze(run, check));
  if (plan.includes('revoke')) {
    await stage('revoke', () => revoke(run, tokens));
    await stage('sessions', () => endUserSessions(run, check));
  }
  result.nextSteps.push(...nextSteps(run, check));
  if (plan.includes('deactivate')) {
    const s = await stage('deactivate', () => deactivate(run, check));
    if (s.status === 'refused') {
      throw withActions(
        messages.createError('error.AttemptsSinceFreeze', [check.user.username, s.detail], [], REFUSED_EXIT_CODE),
        [messages.getMessage('action.attempts')],
      );
    }
  }
}

async function undo(run: Run, check: RetireCheck, stage: StageFn): Promise<void> {
  const { opts, result } = run;
  if (opts.dryRun) {
    await stage('unfreeze', () =>
      Promise.resolve({
        status: check.frozen ? 'planned' : 'already done',
        detail: check.frozen ? 'would unfreeze' : 'not frozen',
      }),
    );
    await stage('reactivate', () =>
      Promise.resolve({
        status: check.user.isActive ? 'already done' : 'planned',
        detail: check.user.isActive ? 'active' : 'would reactivate (needs a free seat)',
      }),
    );
    return;
  }
  await stage('unfreeze', () => unfreeze(run, check));
  await stage('reactivate', () => reactivate(run, check));
  result.nextSteps.push(messages.getMessage('next.undoTokens'));
}

function plannedDetail(name: StageName, check: RetireCheck, tokens: RevocableToken[] | undefined): string {
  switch (name) {
    case 'freeze':
      return check.frozen ? 'already frozen' : 'would freeze the user (UserLogin.IsFrozen)';
    case 'revoke':
      return tokens
        ? `would revoke ${tokens.length} token${tokens.length === 1 ? '' : 's'}${tokens.length ? `: ${tokens.map((t) => t.app).join(', ')}` : ''}`
        : messages.getMessage('info.tokensUnreadable');
    case 'sessions':
      return 'would end its sessions';
    default:
      return check.user.isActive
        ? 'would deactivate once frozen long enough with no login attempt'
        : 'already inactive';
  }
}

function nextSteps(run: Run, check: RetireCheck): string[] {
  const { opts } = run;
  const org = opts.targetOrg;
  const base = `sf integration-user retire --target-org ${org} --user ${check.user.username}`;
  const steps: string[] = [];
  const last = run.result.stages.at(-1);
  if (!opts.deactivate && !opts.revoke) steps.push(messages.getMessage('next.revoke', [base]));
  if (!opts.deactivate || last?.status === 'waiting') {
    const until = deactivatableFrom(run, check);
    steps.push(messages.getMessage('next.deactivate', [until.toISOString().slice(0, 10), base]));
  }
  if (check.user.isActive || check.frozen) steps.push(messages.getMessage('next.undo', [base]));
  return steps;
}
