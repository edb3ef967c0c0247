import { basename, resolve } from 'node:path';
import { Messages, type Connection } from '@salesforce/core';
import {
  assertApiVersionSupported,
  CONNECT_OLDEST_API_VERSION,
  OLDEST_API_VERSION,
} from '../../org-api/api-version.js';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
// the run's modules (converter, org steps, deploy) load in run(), not when sf lists or helps commands (issue 12)
import {
  PARTIAL_EXIT_CODE,
  stepNames,
  type CreateResult,
  type Progress,
  type Step,
  type StepName,
} from '../../create/types.js';
import {
  buildRequest,
  wantsGeneratedAccess,
  type CreateRequest,
  type Definition,
  type FlagInput,
} from '../../create/request.js';
import { loadDefinitions, type LoadedDefinition } from '../../create/definitions.js';
import { runDefinitions, type CreateManyResult } from '../../create/run-definitions.js';
import { readOrgEnvironment } from '../../environments/org-environment.js';
import { adaptToOrg, type OrgAdaptation } from '../../environments/prepare.js';
import { outsideProjectNotice } from '../../metadata/output-dir.js';
import { deriveAlias } from '../../org-api/users.js';
import { checkAppName } from '../../org-api/input-rules.js';
import { resolveMetadataBaseDir } from '../../connect/files.js';
import { pollInterval } from '../../metadata/poll.js';
import { exitCodesHelp } from '../../cli/exit-codes.js';
import { highRiskBlock } from '../../permissions/least-privilege.js';
import { usageWindow } from '../../access-reader/usage-logs.js';
import { usageBlock } from '../../permissions/narrow-to-usage.js';

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

type StageData = { details: Partial<Record<StepName, string>> };

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
    'keep-permission': Flags.string({
      summary: messages.getMessage('flags.keep-permission.summary'),
      description: messages.getMessage('flags.keep-permission.description'),
      multiple: true,
    }),
    'narrow-to-usage': Flags.boolean({
      summary: messages.getMessage('flags.narrow-to-usage.summary'),
      description: messages.getMessage('flags.narrow-to-usage.description'),
      dependsOn: ['from-user'],
    }),
    'usage-days': Flags.integer({
      summary: messages.getMessage('flags.usage-days.summary'),
      dependsOn: ['narrow-to-usage'],
    }),
    'definition-file': Flags.string({
      summary: messages.getMessage('flags.definition-file.summary'),
      description: messages.getMessage('flags.definition-file.description'),
      multiple: true,
    }),
    'username-suffix': Flags.string({ summary: messages.getMessage('flags.username-suffix.summary') }),
    'fix-email': Flags.boolean({ summary: messages.getMessage('flags.fix-email.summary'), default: false }),
    'output-dir': Flags.directory({ summary: messages.getMessage('flags.output-dir.summary') }),
    connect: Flags.string({ summary: messages.getMessage('flags.connect.summary') }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary'), default: false }),
    wait: Flags.duration({
      summary: messages.getMessage('flags.wait.summary'),
      unit: 'minutes',
      defaultValue: 33,
      min: 1,
    }),
    'poll-interval': Flags.integer({ summary: messages.getMessage('flags.poll-interval.summary'), hidden: true }),
  };

  public async run(): Promise<IntegrationUserCreateResult> {
    const { flags } = await this.parse(IntegrationUserCreate);
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
    const definition: Definition = loaded?.definitions[0]?.definition ?? {};
    const built = buildRequest(
      {
        username: flags.username,
        email: flags.email,
        firstName: flags['first-name'],
        lastName: flags['last-name'],
        alias: flags.alias,
        role: flags.role,
        marketingUser: flags['marketing-user'],
        permissionSetName: flags['permission-set-name'],
        objects: flags.object,
        fields: flags.field,
        userPermissions: flags['user-permission'],
        permissionSets: flags['permission-set'],
        fromProfileFile: flags['from-profile-file'],
        fromUser: flags['from-user'],
        keepPermissions: flags['keep-permission'],
        usageDays: flags['narrow-to-usage'] ? usageWindow(flags['usage-days']) : undefined,
        outputDir: flags['output-dir'],
      },
      definition,
      deriveAlias,
    );
    if (!built.username) throw messages.createError('error.MissingUsername');
    const { request, adaptation } = await adaptToOrg(conn, built, await readOrgEnvironment(conn), {
      overrides: { suffix: flags['username-suffix'] ?? definition.usernameSuffix, usernames: definition.usernames },
      fixEmail: flags['fix-email'],
      dryRun: flags['dry-run'],
    });
    for (const note of adaptation.notes) this.log(note);
    if (adaptation.email)
      (adaptation.email.status === 'reported' ? this.warn.bind(this) : this.log.bind(this))(adaptation.email.message);
    if (wantsGeneratedAccess(request) || flags.connect) {
      const outside = await outsideProjectNotice(process.cwd(), request.outputDir, process.cwd());
      if (outside) this.warn(outside);
    }
    const STEP_NAMES = stepNames(Boolean(flags.connect), Boolean(flags['from-user']));
    const labels = Object.fromEntries(STEP_NAMES.map((n) => [n, messages.getMessage(`stage.${n}`)])) as Record<
      StepName,
      string
    >;
    // loaded only when drawing: multi-stage output costs start-up time every command would pay (issue 12)
    const { ParallelMultiStageOutput } = await import('@oclif/multi-stage-output');
    const mso = new ParallelMultiStageOutput<StageData>({
      title: messages.getMessage('title', [request.username]),
      stages: STEP_NAMES.map((n) => labels[n]),
      jsonEnabled: this.jsonEnabled(),
      data: { details: {} },
      stageSpecificBlock: STEP_NAMES.map((n) => ({
        stage: labels[n],
        type: 'message' as const,
        get: (data?: StageData): string | undefined => data?.details[n],
      })),
    });
    const details: Partial<Record<StepName, string>> = {};
    let running: StepName | undefined;
    const progress: Progress = {
      start: (name) => {
        running = name;
        mso.startStage(labels[name]);
      },
      end: (step: Step) => {
        // the next steps are printed in full below
        details[step.name] = step.name === 'next-steps' ? step.status : `${step.status}: ${step.detail}`;
        const status =
          step.status === 'failed'
            ? 'failed'
            : step.status === 'skipped' || step.status === 'planned'
              ? 'skipped'
              : 'completed';
        mso.updateStage(labels[step.name], status, { details: { ...details } });
      },
      deploy: (s) => {
        if (running) details[running] = `${s.status} ${s.deployed}/${s.total}${s.errors ? `, ${s.errors} errors` : ''}`;
        mso.updateData({ details: { ...details } });
      },
    };

    const [{ runCreate }, { createGenerator }] = await Promise.all([
      import('../../create/runner.js'),
      import('../../create/generate.js'),
    ]);
    let result: CreateResult;
    try {
      result = await runCreate({
        conn,
        request,
        generator: createGenerator({ cwd: process.cwd() }),
        dryRun: flags['dry-run'],
        force: flags.force,
        waitMinutes: flags.wait.minutes,
        pollFrequencyMs: pollInterval(flags['poll-interval']),
        progress,
        connect: flags.connect
          ? {
              appName: flags.connect,
              // with --output-dir, the app's type folders go into it, like the permission sets
              baseDir: flags['output-dir'] ? resolve(flags['output-dir']) : await resolveMetadataBaseDir(process.cwd()),
            }
          : undefined,
      });
    } catch (e) {
      mso.error();
      throw e;
    }
    mso.stop();

    this.leastPrivilege(result);
    for (const warning of result.warnings) this.warn(warning);
    for (const ps of result.permissionSetXml ?? []) {
      this.log(messages.getMessage('info.permissionSetXml', [ps.name]));
      this.log(ps.xml);
    }
    if (result.userRecord) this.styledJSON(result.userRecord);
    if (result.comparison && result.comparison.rows.length > 0) {
      const c = result.comparison;
      this.styledHeader(messages.getMessage('header.comparison', [c.first, c.second, c.rows.length]));
      const { comparisonText } = await import('../../compare/render.js');
      for (const line of comparisonText(c)) this.log(line);
    }
    this.log('');
    for (const line of result.nextSteps) this.log(`- ${line}`);
    return { ...result, adaptation };
  }

  /** Several definitions (a folder, or more than one file): each in turn, one report, exit 68 if any failed. */
  private async runMany(
    flags: Awaited<ReturnType<IntegrationUserCreate['parse']>>['flags'] & Record<string, unknown>,
    loaded: Awaited<ReturnType<typeof loadDefinitions>>,
    conn: Connection,
  ): Promise<CreateManyResult> {
    const given = ONE_USER_FLAGS.find((f) => flags[f] !== undefined);
    if (given) throw messages.createError('error.FlagWithManyDefinitions', [given]);
    const env = await readOrgEnvironment(conn);
    const label = (d: LoadedDefinition): string => `${basename(d.file)} (${d.definition.username ?? '?'})`;
    const [{ ParallelMultiStageOutput }, { runCreate }, { createGenerator }] = await Promise.all([
      import('@oclif/multi-stage-output'),
      import('../../create/runner.js'),
      import('../../create/generate.js'),
    ]);
    const mso = new ParallelMultiStageOutput<StageData>({
      title: messages.getMessage('title.many', [String(loaded.definitions.length)]),
      stages: loaded.definitions.map(label),
      jsonEnabled: this.jsonEnabled(),
    });
    const shared: FlagInput = {
      role: flags.role,
      marketingUser: flags['marketing-user'],
      objects: flags.object,
      fields: flags.field,
      userPermissions: flags['user-permission'],
      permissionSets: flags['permission-set'],
      outputDir: flags['output-dir'],
    };
    const result = await runDefinitions({
      conn,
      env,
      definitions: loaded.definitions,
      skippedFiles: loaded.skipped,
      usernameSuffix: flags['username-suffix'],
      fixEmail: flags['fix-email'],
      dryRun: flags['dry-run'],
      build: (d) => buildRequest(shared, d.definition, deriveAlias),
      run: (request: CreateRequest) =>
        runCreate({
          conn,
          request,
          generator: createGenerator({ cwd: process.cwd() }),
          dryRun: flags['dry-run'],
          force: flags.force,
          waitMinutes: flags.wait.minutes,
          pollFrequencyMs: pollInterval(flags['poll-interval']),
        }),
      onStart: (d) => mso.startStage(label(d)),
      onEnd: (d, o) => mso.updateStage(label(d), o.status === 'failed' ? 'failed' : 'completed'),
    });
    mso.stop();
    renderMany(this, result);
    if (!result.success) {
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
      throw error;
    }
    return result;
  }

  /** The two blocks that say what copied access left out on purpose: high-risk permissions, unused objects. */
  private leastPrivilege(result: CreateResult): void {
    const highRisk = highRiskBlock(result.highRisk);
    if (highRisk.length) {
      this.styledHeader(messages.getMessage('header.highRisk'));
      for (const line of highRisk) this.log(line);
    }
    const usage = usageBlock(result.usage);
    if (usage) {
      this.styledHeader(messages.getMessage('header.usage', [usage.header]));
      for (const line of usage.lines) this.log(line);
    }
  }
}

function renderMany(cmd: SfCommand<unknown>, result: CreateManyResult): void {
  cmd.table({
    data: result.definitions.map((d) => ({
      file: basename(d.file),
      username: d.username ?? d.definitionUsername,
      status: d.status,
      detail: d.error?.message.split('\n')[0] ?? d.notes.join(' '),
    })),
  });
  for (const d of result.definitions) for (const w of d.warnings) cmd.warn(`${basename(d.file)}: ${w}`);
  if (result.skippedFiles.length)
    cmd.log(messages.getMessage('info.skippedFiles', [result.skippedFiles.map((f) => basename(f)).join(', ')]));
  if (result.withoutDefinition.length) {
    cmd.warn(
      messages.getMessage('warning.withoutDefinition', [
        result.withoutDefinition.map((u) => `${u.username} (${u.permissionSets.join(', ')})`).join('; '),
      ]),
    );
  }
}
