/**
 * create's multi-stage output: one stage per step, each with the step's outcome, and the deploy's progress while it
 * runs. Multi-stage output is loaded here, when drawing, not when sf lists or helps commands (issue 12).
 */
import type { Progress, Step, StepName } from './types.js';

type StageData = { details: Partial<Record<StepName, string>> };

export type StageOutput = {
  progress: Progress;
  stop(): void;
  error(): void;
};

const stageStatus = (step: Step): 'failed' | 'skipped' | 'completed' =>
  step.status === 'failed'
    ? 'failed'
    : step.status === 'skipped' || step.status === 'planned'
      ? 'skipped'
      : 'completed';

/** Stages for `steps` (labelled by `labels`), drawn unless `jsonEnabled`. */
export async function createStageOutput(options: {
  title: string;
  steps: readonly StepName[];
  labels: Record<StepName, string>;
  jsonEnabled: boolean;
}): Promise<StageOutput> {
  const { labels } = options;
  const { ParallelMultiStageOutput } = await import('@oclif/multi-stage-output');
  const mso = new ParallelMultiStageOutput<StageData>({
    title: options.title,
    stages: options.steps.map((n) => labels[n]),
    jsonEnabled: options.jsonEnabled,
    data: { details: {} },
    stageSpecificBlock: options.steps.map((n) => ({
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
    end: (step) => {
      // the next steps are printed in full after the stages
      details[step.name] = step.name === 'next-steps' ? step.status : `${step.status}: ${step.detail}`;
      mso.updateStage(labels[step.name], stageStatus(step), { details: { ...details } });
    },
    deploy: (s) => {
      if (running) details[running] = `${s.status} ${s.deployed}/${s.total}${s.errors ? `, ${s.errors} errors` : ''}`;
      mso.updateData({ details: { ...details } });
    },
  };
  return { progress, stop: () => mso.stop(), error: () => mso.error() };
}

/** One stage per definition of a many-definition run, each completed or failed. */
export async function createDefinitionsOutput(options: {
  title: string;
  stages: string[];
  jsonEnabled: boolean;
}): Promise<{ start(stage: string): void; end(stage: string, failed: boolean): void; stop(): void }> {
  const { ParallelMultiStageOutput } = await import('@oclif/multi-stage-output');
  const mso = new ParallelMultiStageOutput<StageData>(options);
  return {
    start: (stage) => mso.startStage(stage),
    end: (stage, failed) => mso.updateStage(stage, failed ? 'failed' : 'completed'),
    stop: () => mso.stop(),
  };
}
