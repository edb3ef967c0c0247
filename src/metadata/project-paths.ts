import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SfProject } from '@salesforce/core';

export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The folder of the default package directory that holds metadata folders: `main/default`, or the package folder
 * itself when it keeps `typeFolder` at its top and has no `main/default`. Undefined outside an SFDX project.
 */
export async function defaultPackageMetadataRoot(cwd: string, typeFolder: string): Promise<string | undefined> {
  let packageDir: string;
  try {
    packageDir = (await SfProject.resolve(cwd)).getDefaultPackage().fullPath;
  } catch {
    return undefined;
  }
  if (!(await pathExists(join(packageDir, 'main', 'default'))) && (await pathExists(join(packageDir, typeFolder)))) {
    return packageDir;
  }
  return join(packageDir, 'main', 'default');
}

/** The SFDX project folder holding `dir`, or undefined outside a project. */
export async function findProjectDir(dir: string): Promise<string | undefined> {
  try {
    return await SfProject.resolveProjectPath(dir);
  } catch {
    return undefined;
  }
}

/** Every file under `path` (or `path` itself when it is a file). */
export async function listFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path);
  return (await Promise.all(entries.map((e) => listFiles(join(path, e))))).flat();
}
