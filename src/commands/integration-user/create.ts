import { basename, resolve } from 'node:path';
import { Messages, type Connection } from '@salesforce/core';
import type { Interfaces } from '@oclif/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import {
  assertApiVersionSupported,
  CONNECT_OLDEST_API_VERSION,
  OLDEST_API_VERSION,
} from '../../org-api/api-version.js';
import { checkAppName } from '../../org-api/input-rules.js';
import { exitCodesHelp } from '../../cli/exit-codes.js';
import { copyAccessFlags, deployFlags } from '../../cli/flags.js';
// the run's modules (converter, org steps, deploy, drawing) load in run(), not when sf lists or helps commands (issue 12)
import { stepNames, type CreateContext, type CreateResult, type StepName } from '../../create/types.js';
import { PARTIAL_EXIT_CODE } from '../../org-api/api-errors.js';
import { buildRequest, wantsGeneratedAccess, type CreateRequest, type FlagInput } from '../../create/request.js';
import type { LoadedDefinition, loadDefinitions } from '../../create/definitions.js';
import type { CreateManyResult } from '../../create/run-definitions.js';
import type { OrgAdaptation } from '../../environments/prepare.js';
import { deriveAlias } from '../../org-api/users.js';
import { pollInterval } from '../../metadata/poll.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.create');

/** One definition: create's result (with how the username was adapted to the org); several: one report. */
export type IntegrationUserCreateResult = (CreateResult & { adaptation?: OrgAdaptation }) | CreateManyResult;

// flags that describe one user: not with several definitions
const ONE_USER_FLAGS = [
  'username',
  'email',
  'first-name',
  'last-name',
  'alias',
  'permission-set-name',
  'from-user',
  'from-profile-file',
  'connect',
] as const;

export default class IntegrationUserCreate extends SfCommand<IntegrationUserCreateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(['0', '1', '2', '68']);

  public static readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    username: Flags.string({ summary: messages.getMessage('flags.username.summary') }),
    email: Flags.string({ summary: messages.getMessage('flags.email.summary') }),
    'first-name': Flags.string({ summary: messages.getMessage('flags.first-name.summary') }),
    'last-name': Flags.string({ summary: messages.getMessage('flags.last-name.summary') }),
    alias: Flags.string({ summary: messages.getMessage('flags.alias.summary') }),
    role: Flags.string({ summary: messages.getMessage('flags.role.summary') }),
    'marketing-user': Flags.boolean({ summary: messages.getMessage('flags.marketing-user.summary'), allowNo: true }),
    'permission-set-name': Flags.string({ summary: messages.getMessage('flags.permission-set-name.summary') }),
    object: Flags.string({ summary: messages.getMessage('flags.object.summary'), multiple: true }),
    field: Flags.string({ summary: messages.getMessage('flags.field.summary'), multiple: true }),
    'user-permission': Flags.string({ summary: messages.getMessage('flags.user-permission.summary'), multiple: true }),
    'permission-set': Flags.string({ summary: messages.getMessage('flags.permission-set.summary'), multiple: true }),
    'from-profile-file': Flags.file({ summary: messages.getMessage('flags.from-profile-file.summary'), exists: true }),
    'from-user': Flags.string({
      summary: messages.getMessage('flags.from-user.summary'),
      exclusive: ['from-profile-file'],
    }),
    ...copyAccessFlags(messages),
    'definition-file': Flags.string({
      summary: messages.getMessage('flags.definition-file.summary'),
      description: messages.getMessage('flags.definition-file.description'),
      multiple: true,
    }),
    'username-suffix': Flags.string({ summary: messages.getMessage('flags.username-suffix.summary') }),
    'fix-email': Flags.boolean({ summary: messages.getMessage('flags.fix-email.summary'), default: false }),
    'output-dir': Flags.directory({ summary: messages.getMessage('flags.output-dir.summary') }),
    connect: Flags.string({ summary: messages.getMessage('flags.connect.summary') }),
    ...deployFlags(messages),
  };

  public async run(): Promise<IntegrationUserCreateResult> {
    const { flags } = await this.parse(IntegrationUserCreate);
    const { loadDefinitions } = await import('../../create/definitions.js');
    const loaded = flags['definition-file'] ? await loadDefinitions(flags['definition-file']) : undefined;
    const conn = flags['target-org'].getConnection(flags['api-version']);
    // a bad app name is the user's to fix whatever the org's version: say it first
    const badAppName = flags.connect === undefined ? undefined : checkAppName(flags.connect, '--connect');
    if (badAppName) throw badAppName;
    // --connect deploys External Client App metadata, which needs a newer API version than the rest
    await assertApiVersionSupported(
      conn,
      flags['api-version'],
      flags.connect ? CONNECT_OLDEST_API_VERSION : OLDEST_API_VERSION,
    );
    if (loaded && (loaded.fromFolder || loaded.definitions.length > 1)) return this.runMany(flags, loaded, conn);
    return this.runOne(flags, loaded?.definitions[0], conn);
  }

  /** One user, from the flags and at most one definition file. */
  private async runOne(
    flags: CreateFlags,
    loaded: LoadedDefinition | undefined,
    conn: Connection,
  ): Promise<CreateResult & { adaptation: OrgAdaptation }> {
    const definition = loaded?.definition ?? {};
    const usageDays = flags['narrow-to-usage']
      ? (await import('../../access-reader/usage-logs.js')).usageWindow(flags['usage-days'])
      : undefined;
    const built = buildRequest(oneUserInput(flags, usageDays), definition, deriveAlias);
    if (!built.username) throw messages.createError('error.MissingUsername');
    const [{ adaptToOrg }, { readOrgEnvironment }] = await Promise.all([
      import('../../environments/prepare.js'),
      import('../../environments/org-environment.js'),
    ]);
    const { request, adaptation } = await adaptToOrg(conn, built, await readOrgEnvironment(conn), {
      overrides: { suffix: flags['username-suffix'] ?? definition.usernameSuffix, usernames: definition.usernames },
      fixEmail: flags['fix-email'],
      dryRun: flags['dry-run'],
    });
    for (const note of adaptation.notes) this.log(note);
    if (adaptation.email)
      (adaptation.email.status === 'reported' ? this.warn.bind(this) : this.log.bind(this))(adaptation.email.message);
    await this.warnIfOutsideProject(request, flags);

    const steps = stepNames(Boolean(flags.connect), Boolean(flags['from-user']));
    const { createStageOutput } = await import('../../create/stage-output.js');
    const stages = await createStageOutput({
      title: messages.getMessage('title', [request.username]),
      steps,
      labels: Object.fromEntries(steps.map((n) => [n, messages.getMessage(`stage.${n}`)])) as Record<StepName, string>,
      jsonEnabled: this.jsonEnabled(),
    });
    const { runCreate } = await import('../../create/runner.js');
    let result: CreateResult;
    try {
      result = await runCreate({
        ...(await createOptions(flags, conn, request)),
        progress: stages.progress,
        connect: flags.connect
          ? {
              appName: flags.connect,
              // with --output-dir, the app's type folders go into it, like the permission sets
              baseDir: flags['output-dir'] ? resolve(flags['output-dir']) : await metadataBaseDir(),
            }
          : undefined,
      });
    } catch (e) {
      stages.error();
      throw e;
    }
    stages.stop();
    const { renderCreate } = await import('../../create/render.js');
    await renderCreate(this, result);
    return { ...result, adaptation };
  }

  /** Several definitions (a folder, or more than one file): each in turn, one report, exit 68 if any failed. */
  private async runMany(
    flags: CreateFlags,
    loaded: Awaited<ReturnType<typeof loadDefinitions>>,
    conn: Connection,
  ): Promise<CreateManyResult> {
    const given = ONE_USER_FLAGS.find((f) => flags[f] !== undefined);
    if (given) throw messages.createError('error.FlagWithManyDefinitions', [given]);
    const [{ readOrgEnvironment }, { runDefinitions }, { runCreate }, { createDefinitionsOutput }] = await Promise.all([
      import('../../environments/org-environment.js'),
      import('../../create/run-definitions.js'),
      import('../../create/runner.js'),
      import('../../create/stage-output.js'),
    ]);
    const label = (d: LoadedDefinition): string => `${basename(d.file)} (${d.definition.username ?? '?'})`;
    const stages = await createDefinitionsOutput({
      title: messages.getMessage('title.many', [String(loaded.definitions.length)]),
      stages: loaded.definitions.map(label),
      jsonEnabled: this.jsonEnabled(),
    });
    const shared = sharedInput(flags);
    const result = await runDefinitions({
      conn,
      env: await readOrgEnvironment(conn),
      definitions: loaded.definitions,
      skippedFiles: loaded.skipped,
      usernameSuffix: flags['username-suffix'],
      fixEmail: flags['fix-email'],
      dryRun: flags['dry-run'],
      build: (d) => buildRequest(shared, d.definition, deriveAlias),
      run: async (request: CreateRequest) => runCreate(await createOptions(flags, conn, request)),
      onStart: (d) => stages.start(label(d)),
      onEnd: (d, o) => stages.end(label(d), o.status === 'failed'),
    });
    stages.stop();
    const { renderMany } = await import('../../create/render.js');
    renderMany(this, result);
    if (!result.success) throw someDefinitionsFailed(result);
    return result;
  }

  /** Generated files written outside the project aren't deployed by `sf project deploy start`: say so. */
  private async warnIfOutsideProject(request: CreateRequest, flags: CreateFlags): Promise<void> {
    if (!wantsGeneratedAccess(request) && !flags.connect) return;
    const { outsideProjectNotice } = await import('../../metadata/output-dir.js');
    const outside = await outsideProjectNotice(process.cwd(), request.outputDir, process.cwd());
    if (outside) this.warn(outside);
  }
}

type CreateFlags = Interfaces.InferredFlags<typeof IntegrationUserCreate.flags>;

/** The flags that apply to every definition of a many-definition run. */
const sharedInput = (flags: CreateFlags): FlagInput => ({
  role: flags.role,
  marketingUser: flags['marketing-user'],
  objects: flags.object,
  fields: flags.field,
  userPermissions: flags['user-permission'],
  permissionSets: flags['permission-set'],
  outputDir: flags['output-dir'],
});

/** Every flag that describes the one user of a single run. */
const oneUserInput = (flags: CreateFlags, usageDays: number | undefined): FlagInput => ({
  ...sharedInput(flags),
  username: flags.username,
  email: flags.email,
  firstName: flags['first-name'],
  lastName: flags['last-name'],
  alias: flags.alias,
  permissionSetName: flags['permission-set-name'],
  fromProfileFile: flags['from-profile-file'],
  fromUser: flags['from-user'],
  keepPermissions: flags['keep-permission'],
  usageDays,
});

/** What every run of create is told by the flags: the request, how to write files, deploy and wait. */
async function createOptions(flags: CreateFlags, conn: Connection, request: CreateRequest): Promise<CreateContext> {
  const { createGenerator } = await import('../../create/generate.js');
  return {
    conn,
    request,
    generator: createGenerator({ cwd: process.cwd() }),
    dryRun: flags['dry-run'],
    force: flags.force,
    waitMinutes: flags.wait.minutes,
    pollFrequencyMs: pollInterval(flags['poll-interval']),
  };
}

async function metadataBaseDir(): Promise<string> {
  const { resolveMetadataBaseDir } = await import('../../connect/files.js');
  return resolveMetadataBaseDir(process.cwd());
}

function someDefinitionsFailed(result: CreateManyResult): Error {
  const failed = result.definitions.filter((d) => d.status === 'failed');
  const error = messages.createError(
    'error.SomeDefinitionsFailed',
    [
      String(failed.length),
      String(result.definitions.length),
      failed.map((f) => `${basename(f.file)}: ${f.error?.message ?? 'failed'}`).join('\n'),
    ],
    [],
    PARTIAL_EXIT_CODE,
  );
  error.setData(result);
  return error;
}
