import { cp, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Messages, SfProject } from '@salesforce/core';
import { ComponentSet, MetadataConverter, RegistryAccess } from '@salesforce/source-deploy-retrieve';
import type { PermissionSetDoc } from '../permissions/model.js';
import { writePermissionSetXml } from './permission-set-xml.js';
import { defaultPackageMetadataRoot, pathExists } from './project-paths.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'metadata.write');

export type WriteOptions = {
  /** folder that receives the permission sets (`<Name>.permissionset-meta.xml`, or `<Name>/…` when decomposed) */
  outputDir: string;
  /** replace existing files of the same permission sets */
  force?: boolean;
  /** SFDX project whose sfdx-project.json decides the layout; default: the project holding outputDir, if any */
  projectDir?: string;
};

/**
 * Write permission sets in source format into `outputDir`, laid out by source-deploy-retrieve's converter so a
 * project with `sourceBehaviorOptions: ["decomposePermissionSetBeta2"]` gets decomposed permission sets.
 *
 * Nothing is written when any target exists and `force` is not set: the error lists the existing paths. With
 * `force`, each permission set is replaced whole (both its single file and its decomposed folder), so no stale
 * decomposed child file can grant more than the new content.
 *
 * @returns the written file paths, sorted
 * @throws SfError OutputExists
 */
export async function writePermissionSetSources(docs: PermissionSetDoc[], options: WriteOptions): Promise<string[]> {
  const outputDir = resolve(options.outputDir);
  const projectDir = options.projectDir ?? (await findProjectDir(outputDir));
  const work = await mkdtemp(join(tmpdir(), 'sf-integration-user-'));
  try {
    const mdapiDir = join(work, 'mdapi', 'permissionsets');
    await mkdir(mdapiDir, { recursive: true });
    // streamed: a permission set converted from a large profile can be tens of MB
    await Promise.all(docs.map((doc) => writePermissionSetXml(doc, join(mdapiDir, `${doc.fullName}.permissionset`))));

    const registry = new RegistryAccess(undefined, projectDir);
    const components = ComponentSet.fromSource({ fsPaths: [join(work, 'mdapi')], registry });
    const sourceDir = join(work, 'source');
    await new MetadataConverter(registry).convert(components, 'source', {
      type: 'directory',
      outputDirectory: sourceDir,
      genUniqueDir: false,
    });
    const converted = await findPermissionSetsDir(sourceDir);
    const items = await readdir(converted);

    // every form a permission set can take on disk: replacing one form must not leave the other behind
    const targets = docs.flatMap((doc) => [
      join(outputDir, `${doc.fullName}.permissionset-meta.xml`),
      join(outputDir, doc.fullName),
    ]);
    const existing = (await Promise.all(targets.map(async (t) => ((await pathExists(t)) ? t : undefined)))).filter(
      (t): t is string => t !== undefined
    );
    if (existing.length > 0 && !options.force) {
      throw messages.createError('error.OutputExists', [existing.map((e) => `\n  ${e}`).join('')]);
    }
    await Promise.all(existing.map((t) => rm(t, { recursive: true, force: true })));

    await mkdir(outputDir, { recursive: true });
    for (const item of items) await cp(join(converted, item), join(outputDir, item), { recursive: true });
    const written = (await Promise.all(items.map((item) => listFiles(join(converted, item))))).flat();
    return written.map((f) => join(outputDir, relative(converted, f))).sort();
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Where permission sets go by default: the `permissionsets` folder of the default package directory when `cwd` is
 * inside an SFDX project (under `main/default` unless the package keeps metadata folders at its top), else `cwd`.
 */
export async function resolveDefaultOutputDir(cwd: string): Promise<string> {
  const root = await defaultPackageMetadataRoot(cwd, 'permissionsets');
  return root ? join(root, 'permissionsets') : resolve(cwd);
}

async function findProjectDir(dir: string): Promise<string | undefined> {
  try {
    return await SfProject.resolveProjectPath(dir);
  } catch {
    return undefined;
  }
}

/** SDR writes `<out>/main/default/permissionsets`; look it up rather than rely on that constant. */
async function findPermissionSetsDir(root: string): Promise<string> {
  const queue = [root];
  while (queue.length > 0) {
    const dir = queue.shift()!;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      if (entry.name === 'permissionsets') return join(dir, entry.name);
      queue.push(join(dir, entry.name));
    }
  }
  throw new Error(`source-deploy-retrieve wrote no permissionsets folder under ${root}`);
}

async function listFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path);
  return (await Promise.all(entries.map((e) => listFiles(join(path, e))))).flat();
}
