/**
 * Where generated metadata goes, checked before anything is written: a --output-dir that is a file (or lies below
 * one) gets a named error instead of EEXIST/ENOTDIR from mkdir, and a run outside an SFDX project says where it
 * writes instead of filling the current folder without a word.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Messages, SfProject } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'output-dir');

/**
 * Throws OutputDirNotDirectory when `dir` or one of its parents exists and isn't a folder. A missing folder is fine:
 * it is created when written.
 */
export async function checkOutputDir(dir: string, flag = '--output-dir'): Promise<void> {
  let at = resolve(dir);
  for (;;) {
    const found = await stat(at).catch(() => undefined);
    if (found) {
      if (!found.isDirectory()) {
        const tokens = at === resolve(dir) ? [dir, 'is a file'] : [dir, `lies below ${at}, which is a file`];
        throw messages.createError('error.OutputDirNotDirectory', tokens, [flag]);
      }
      return;
    }
    const parent = dirname(at);
    if (parent === at) return;
    at = parent;
  }
}

/** True when `cwd` is inside an SFDX project (an sfdx-project.json here or above). */
export async function inSfdxProject(cwd: string): Promise<boolean> {
  try {
    await SfProject.resolveProjectPath(cwd);
    return true;
  } catch {
    return false;
  }
}

/**
 * The notice for a run with no --output-dir outside an SFDX project: where the files go and how to choose.
 * Undefined when an output folder was given or the folder is a project.
 */
export async function outsideProjectNotice(
  cwd: string,
  outputDir: string | undefined,
  writesTo: string,
): Promise<string | undefined> {
  if (outputDir || (await inSfdxProject(cwd))) return undefined;
  return messages.getMessage('warning.outsideProject', [resolve(cwd), writesTo]);
}
