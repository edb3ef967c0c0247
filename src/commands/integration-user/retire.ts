import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Messages, SfError } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import type { ParallelMultiStageOutput } from '@oclif/multi-stage-output';
import { DEFAULT_FULL_LICENSE_PER_YEAR, DEFAULT_INTEGRATION_LICENSE_PER_MONTH } from '../../audit/savings.js';
// the check, the org steps, drawing and the report load in run(), not when sf lists or helps commands (issue 12)
import type * as Render from '../../retire/render.js';
import type { RetireOptions, RetireResult, Stage, StageName } from '../../retire/types.js';
import { exitCodesHelp } from '../../cli/exit-codes.js';
import { targetOrgLabel } from '../../cli/target-org.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.retire');

export type IntegrationUserRetireResult = RetireResult;

type StageData = { details: Partial<Record<StageName, string>> };

const amount = Flags.custom<number>({
  parse: (input: string) => {
    const n = Number(input.replace(/,/g, ''));
    if (input.trim() === '' || !Number.isFinite(n) || n < 0)
      return Promise.reject(new SfError(`Not an amount: ${input}`, 'BadAmount'));
    return Promise.resolve(n);
  },
});

export default class IntegrationUserRetire extends SfCommand<IntegrationUserRetireResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = exitCodesHelp(['0', '1', '2', '68'], {
    '0': messages.getMessage('errorCodes.0'),
    '68': messages.getMessage('errorCodes.68'),
    '69': messages.getMessage('errorCodes.69'),
  });

  public static readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    user: Flags.string({ summary: messages.getMessage('flags.user.summary'), char: 'u', required: true }),
    days: Flags.integer({ summary: messages.getMessage('flags.days.summary'), min: 1, max: 180, default: 30 }),
    'frozen-days': Flags.integer({ summary: messages.getMessage('flags.frozen-days.summary'), min: 0, default: 7 }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
    revoke: Flags.boolean({
      summary: messages.getMessage('flags.revoke.summary'),
      default: false,
      exclusive: ['undo'],
    }),
    deactivate: Flags.boolean({
      summary: messages.getMessage('flags.deactivate.summary'),
      default: false,
      exclusive: ['undo'],
    }),
    undo: Flags.boolean({ summary: messages.getMessage('flags.undo.summary'), default: false }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary'), default: false }),
    'output-file': Flags.file({ summary: messages.getMessage('flags.output-file.summary'), char: 'f' }),
    'license-cost': amount({
      summary: messages.getMessage('flags.license-cost.summary'),
      default: DEFAULT_FULL_LICENSE_PER_YEAR,
    }),
    'integration-license-cost': amount({
      summary: messages.getMessage('flags.integration-license-cost.summary'),
      default: DEFAULT_INTEGRATION_LICENSE_PER_MONTH,
    }),
  };

  public async run(): Promise<IntegrationUserRetireResult> {
    const { flags } = await this.parse(IntegrationUserRetire);
    const outputFile = flags['output-file'];
    // before anything is read or changed
    if (outputFile && existsSync(outputFile) && !flags.force)
      throw messages.createError('error.fileExists', [outputFile]);
    const org = flags['target-org'];
    const targetOrg = targetOrgLabel(this.argv, org);
    const [{ runRetire, stagesFor }, render, { ParallelMultiStageOutput }] = await Promise.all([
      import('../../retire/retire.js'),
      import('../../retire/render.js'),
      import('@oclif/multi-stage-output'),
    ]);
    const { mso, progress } = this.stageDisplay(flags.user, stagesFor(flags), ParallelMultiStageOutput);
    const at = new Date();
    let result: RetireResult;
    try {
      result = await runRetire({
        conn: org.getConnection(flags['api-version']),
        username: flags.user,
        targetOrg,
        days: flags.days,
        frozenDays: flags['frozen-days'],
        dryRun: flags['dry-run'],
        revoke: flags.revoke,
        deactivate: flags.deactivate,
        undo: flags.undo,
        force: flags.force,
        prices: {
          fullLicensePerYear: flags['license-cost'],
          integrationLicensePerMonth: flags['integration-license-cost'],
        },
        now: at,
        progress,
      });
    } catch (e) {
      mso.error();
      const data = e instanceof SfError ? (e.data as RetireResult | undefined) : undefined;
      if (data?.stages && outputFile) await this.writeReport(render, outputFile, data, { targetOrg, at }, flags.force);
      throw e;
    }
    mso.stop();
    this.display(render, result);
    if (outputFile) {
      await this.writeReport(render, outputFile, result, { targetOrg, at }, flags.force);
      result.outputFile = outputFile;
    }
    return result;
  }

  /** The multi-stage display of the run's stages, and the progress callbacks that drive it. */
  private stageDisplay(
    user: string,
    names: StageName[],
    Output: typeof ParallelMultiStageOutput,
  ): { mso: ParallelMultiStageOutput<StageData>; progress: RetireOptions['progress'] } {
    const labels = Object.fromEntries(names.map((n) => [n, messages.getMessage(`stage.${n}`)])) as Record<
      StageName,
      string
    >;
    const mso = new Output<StageData>({
      title: messages.getMessage('title', [user]),
      stages: names.map((n) => labels[n]),
      jsonEnabled: this.jsonEnabled(),
      data: { details: {} },
      stageSpecificBlock: names.map((n) => ({
        stage: labels[n],
        type: 'message' as const,
        get: (d?: StageData): string | undefined => d?.details[n],
      })),
    });
    const details: Partial<Record<StageName, string>> = {};
    const progress = {
      start: (n: StageName): void => mso.startStage(labels[n]),
      end: (s: Stage): void => {
        details[s.name] = `${s.status}: ${s.detail}`;
        const status =
          s.status === 'failed' || s.status === 'refused' ? 'failed' : s.status === 'done' ? 'completed' : 'skipped';
        mso.updateStage(labels[s.name], status, { details: { ...details } });
      },
    };
    return { mso, progress };
  }

  private display({ savingsText, stageRows, tokenRows }: typeof Render, r: RetireResult): void {
    const c = r.check;
    if (c?.inUse.length) {
      this.styledHeader(messages.getMessage('heading.uses'));
      for (const u of c.inUse) this.log(`- ${u}`);
      for (const m of c.moves) this.log(`  ${m}`);
    }
    if (c?.tokens.length) {
      this.styledHeader(messages.getMessage('heading.tokens'));
      this.table({ data: tokenRows(r) });
    }
    this.styledHeader(messages.getMessage('heading.stages'));
    this.table({ data: stageRows(r) });
    for (const g of c?.gaps ?? [])
      this.warn(`${g.source} is not readable (${g.errorCode}): needs ${g.fix}. That part of the check is incomplete.`);
    const savings = savingsText(r);
    if (savings) this.logSuccess(savings);
    if (r.nextSteps.length) {
      this.styledHeader(messages.getMessage('heading.next'));
      for (const s of r.nextSteps) this.log(`- ${s}`);
    }
  }

  private async writeReport(
    { renderMarkdown }: typeof Render,
    file: string,
    r: RetireResult,
    context: { targetOrg: string; at: Date },
    force: boolean,
  ): Promise<void> {
    await writeFile(file, renderMarkdown(r, context), { encoding: 'utf8', flag: force ? 'w' : 'wx' });
    this.logSuccess(messages.getMessage('info.written', [file]));
  }
}
