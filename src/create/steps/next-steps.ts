import { Messages } from '@salesforce/core';
import type { CreateRequest } from '../request.js';
import type { CreateResult, RunState, StepOutcome } from '../types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.create');

/** The last step: what to do next. */
export function nextStepsStep(state: RunState): Promise<StepOutcome> {
  state.result.nextSteps = nextSteps(state.request, state.result);
  return Promise.resolve({ status: state.dryRun ? 'planned' : 'done', detail: state.result.nextSteps.join(' ') });
}

function nextSteps(request: CreateRequest, result: CreateResult): string[] {
  const steps: string[] = [];
  if (result.dryRun) steps.push(messages.getMessage('next.dryRun'));
  steps.push(messages.getMessage('next.noPassword'));
  // a dry run's connect step has only its own dry-run line, which the line above says already
  if (result.connect) steps.push(...(result.dryRun ? [] : result.connect.nextSteps));
  else steps.push(messages.getMessage('next.password', [request.username, request.email]));
  if (result.files.length) steps.push(messages.getMessage('next.commit', [result.files.join(', ')]));
  return steps;
}
