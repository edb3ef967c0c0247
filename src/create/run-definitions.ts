import type { Connection } from '@salesforce/core';
import { SfError } from '@salesforce/core';
import { adaptToOrg, type OrgAdaptation } from '../environments/prepare.js';
import type { OrgEnvironment } from '../environments/org-environment.js';
import { findManagedUsers, withoutDefinition, type ManagedUser } from '../environments/managed-users.js';
import { usernameFor } from '../environments/resolve-username.js';
import type { CreateResult } from './executor.js';
import type { LoadedDefinition } from './definitions.js';
import type { CreateRequest } from './request.js';

/** One definition's outcome in a run over several. */
export type DefinitionOutcome = {
  file: string;
  /** the username the definition names (production's) */
  definitionUsername: string;
  /** the username in this org */
  username?: string;
  status: 'created' | 'updated' | 'unchanged' | 'planned' | 'failed';
  error?: { name: string; message: string; exitCode?: number; actions?: string[] };
  notes: string[];
  warnings: string[];
  result?: CreateResult;
};

export type CreateManyResult = {
  environment: OrgEnvironment;
  success: boolean;
  definitions: DefinitionOutcome[];
  /** folder files that don't declare the definition schema */
  skippedFiles: string[];
  /** active users the plugin made (marker: its generated permission set) that no definition names: listed, never deactivated */
  withoutDefinition: ManagedUser[];
};

export type RunDefinitionsContext = {
  conn: Connection;
  env: OrgEnvironment;
  definitions: LoadedDefinition[];
  skippedFiles: string[];
  build: (definition: LoadedDefinition) => CreateRequest;
  run: (request: CreateRequest) => Promise<CreateResult>;
  usernameSuffix?: string;
  fixEmail?: boolean;
  dryRun?: boolean;
  onStart?: (d: LoadedDefinition) => void;
  onEnd?: (d: LoadedDefinition, outcome: DefinitionOutcome) => void;
};

const statusOf = (r: CreateResult): DefinitionOutcome['status'] => {
  if (r.dryRun) return 'planned';
  if (r.steps.some((s) => s.name === 'create-user' && s.status === 'done')) return 'created';
  return r.steps.some((s) => s.status === 'done' && s.name !== 'preflight' && s.name !== 'next-steps')
    ? 'updated'
    : 'unchanged';
};

/**
 * Reconciles each definition in turn (one failing doesn't stop the others) and lists the plugin's users that no
 * definition names any more. Success only when every definition succeeded.
 */
export async function runDefinitions(ctx: RunDefinitionsContext): Promise<CreateManyResult> {
  const outcomes: DefinitionOutcome[] = [];
  for (const loaded of ctx.definitions) {
    ctx.onStart?.(loaded);
    const outcome = await runDefinition(ctx, loaded);
    outcomes.push(outcome);
    ctx.onEnd?.(loaded, outcome);
  }
  const usernames = usernamesInOrg(ctx, outcomes);
  return {
    environment: ctx.env,
    success: outcomes.every((o) => o.status !== 'failed'),
    definitions: outcomes,
    skippedFiles: ctx.skippedFiles,
    withoutDefinition: withoutDefinition(await findManagedUsers(ctx.conn), usernames),
  };
}

/** One definition adapted to this org and run; a failure is its outcome, not thrown. */
async function runDefinition(ctx: RunDefinitionsContext, loaded: LoadedDefinition): Promise<DefinitionOutcome> {
  const outcome: DefinitionOutcome = {
    file: loaded.file,
    definitionUsername: loaded.definition.username ?? '',
    status: 'failed',
    notes: [],
    warnings: [],
  };
  try {
    const built = ctx.build(loaded);
    const { request, adaptation }: { request: CreateRequest; adaptation: OrgAdaptation } = await adaptToOrg(
      ctx.conn,
      built,
      ctx.env,
      {
        overrides: {
          suffix: ctx.usernameSuffix ?? loaded.definition.usernameSuffix,
          usernames: loaded.definition.usernames,
        },
        fixEmail: ctx.fixEmail,
        dryRun: ctx.dryRun,
      },
    );
    outcome.username = request.username;
    outcome.notes.push(
      ...adaptation.notes,
      ...(adaptation.email && adaptation.email.status !== 'reported' ? [adaptation.email.message] : []),
    );
    if (adaptation.email?.status === 'reported') outcome.warnings.push(adaptation.email.message);
    const result = await ctx.run(request);
    outcome.result = result;
    outcome.warnings.push(...result.warnings);
    outcome.status = statusOf(result);
  } catch (e) {
    const error = e instanceof SfError ? e : SfError.wrap(e instanceof Error ? e : new Error(String(e)));
    outcome.error = { name: error.name, message: error.message, exitCode: error.exitCode, actions: error.actions };
    if (error.data && typeof error.data === 'object' && 'steps' in error.data)
      outcome.result = error.data as CreateResult;
  }
  return outcome;
}

/** The username each definition has in this org: as run, or as it would be (the production name when unresolvable). */
function usernamesInOrg(ctx: RunDefinitionsContext, outcomes: readonly DefinitionOutcome[]): string[] {
  return ctx.definitions.map((d) => {
    const done = outcomes.find((o) => o.file === d.file)?.username;
    if (done) return done;
    try {
      return usernameFor(d.definition.username ?? '', ctx.env, {
        suffix: ctx.usernameSuffix ?? d.definition.usernameSuffix,
        usernames: d.definition.usernames,
      }).username;
    } catch {
      return d.definition.username ?? '';
    }
  });
}
