/**
 * create's checks of its own input, made before any read or write: every value Salesforce would refuse later
 * (after the user exists, or at the deploy) is refused here, together, so a dry run and a real run fail the same way
 * and a failed run leaves nothing behind.
 */
import type { SfError } from '@salesforce/core';
import { checkAlias, checkAppName, checkEmail, checkPermissionSetName, checkUsername } from '../org-api/input-rules.js';
import { checkOutputDir } from '../metadata/output-dir.js';
import type { CreateRequest } from './request.js';
import { throwProblems } from './preflight-checks.js';

export type InputCheckOptions = {
  /** create --connect <AppName> */
  connectAppName?: string;
};

/** Every problem of the request that needs no org, in the order of the flags. */
export async function findInputProblems(request: CreateRequest, options: InputCheckOptions = {}): Promise<SfError[]> {
  const problems = [
    checkUsername(request.username),
    checkEmail(request.email),
    checkAlias(request.alias),
    checkPermissionSetName(request.permissionSetName),
    options.connectAppName === undefined ? undefined : checkAppName(options.connectAppName, '--connect'),
  ].filter((p): p is SfError => p !== undefined);
  if (request.outputDir) {
    try {
      await checkOutputDir(request.outputDir);
    } catch (e) {
      problems.push(e as SfError);
    }
  }
  return problems;
}

/** Throws the one problem, or all of them as PreflightFailed; nothing when the request is sound. */
export async function checkCreateInput(request: CreateRequest, options: InputCheckOptions = {}): Promise<void> {
  throwProblems(await findInputProblems(request, options));
}
