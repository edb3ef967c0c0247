import type { StructuredMessage } from '@salesforce/core';
import type sinon from 'sinon';

/** Captures everything written to stdout and stderr while the sandbox is active, in order. */
export function captureOutput(sandbox: sinon.SinonSandbox): string[] {
  const out: string[] = [];
  const capture = (chunk: unknown): boolean => {
    out.push(String(chunk));
    return true;
  };
  sandbox.stub(process.stdout, 'write').callsFake(capture);
  sandbox.stub(process.stderr, 'write').callsFake(capture);
  return out;
}

/** What a command gave ux.warn or ux.info, as text: a structured message reads as its message. */
export const messageText = (m: StructuredMessage | string): string => (typeof m === 'string' ? m : m.message);
