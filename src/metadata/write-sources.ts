import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Messages, SfError } from '@salesforce/core';
import type { PermissionSetDoc } from '../permissions/model.js';
import { writePermissionSetXml } from './permission-set-xml.js';
import { defaultPackageMetadataRoot, findProjectDir, listFiles, pathExists } from './project-paths.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'metadata.write');

export type WriteOptions = {
  /** folder that receives the permission sets (`<Name>.permissionset-meta.xml`, or `<Name>/…` when decomposed) */
  outputDir: string;
  /** replace existing files of the same permission sets */
  force?: boolean;
  /** SFDX project whose sfdx-project.json decides the layout; default: the project holding outputDir, if any */
  projectDir?: string;
  /**
   * leave a permission set alone when its files on disk are exactly what would be written ("unchanged"), so a
   * re-run neither fails nor rewrites; only files with other content need `force`. Off: any existing file needs it.
   */
  keepIdentical?: boolean;
};

/**
 * One permission set compared with the disk. new: none of its files exist; unchanged: its files on disk are exactly
 * the files that would be written, byte for byte; differs: other content, or other files (the other layout, a
 * decomposed child file more or fewer).
 */
export type SourceSetState = {
  fullName: string;
  state: 'new' | 'unchanged' | 'differs';
  /** the files the set is written as, sorted */
  files: string[];
  /** differs: the existing files that differ or would be removed (the set's folder when only files are missing) */
  differing: string[];
};

export type WriteOutcome = {
  /** every file of the sets, written or left unchanged, sorted */
  files: string[];
  /** per set, what happened: written (was new), replaced (differed, force), unchanged (keepIdentical) */
  sets: Array<SourceSetState & { action: 'written' | 'replaced' | 'unchanged' }>;
};

/**
 * Write permission sets in source format into `outputDir`, laid out by source-deploy-retrieve's converter so a
 * project with `sourceBehaviorOptions: ["decomposePermissionSetBeta2"]` gets decomposed permission sets.
 *
 * Nothing is written when any target exists and `force` is not set: the error lists the existing paths (with
 * `keepIdentical`, only those of sets that differ). With `force`, each permission set is replaced whole (both its
 * single file and its decomposed folder), so no stale decomposed child file can grant more than the new content.
 *
 * @returns the written file paths, sorted
 * @throws SfError OutputExists, its data `{ existing: string[] }`
 */
export async function writePermissionSetSources(docs: PermissionSetDoc[], options: WriteOptions): Promise<string[]> {
  return (await writePermissionSetSourcesDetailed(docs, options)).files;
}

/** As writePermissionSetSources, with each set's state and what was done with it. */
export async function writePermissionSetSourcesDetailed(
  docs: PermissionSetDoc[],
  options: WriteOptions,
): Promise<WriteOutcome> {
  return withSources(docs, options, async (converted, sets) => {
    const outputDir = resolve(options.outputDir);
    const keep = (s: SourceSetState): boolean => options.keepIdentical === true && s.state === 'unchanged';
    const blocking = sets.filter((s) => s.state !== 'new' && !keep(s));
    if (blocking.length > 0 && !options.force) {
      const existing = options.keepIdentical
        ? blocking.flatMap((s) => s.differing)
        : (
            await Promise.all(
              blocking.flatMap((s) =>
                targetsOf(outputDir, s.fullName).map(async (t) => ((await pathExists(t)) ? t : undefined)),
              ),
            )
          ).filter((t): t is string => t !== undefined);
      throw new OutputExistsError(existing);
    }
    // every form a permission set can take on disk: replacing one form must not leave the other behind
    await Promise.all(
      blocking.flatMap((s) => targetsOf(outputDir, s.fullName).map((t) => rm(t, { recursive: true, force: true }))),
    );

    await mkdir(outputDir, { recursive: true });
    for (const s of sets.filter((x) => !keep(x))) {
      for (const item of itemsOf(s.fullName)) {
        if (await pathExists(join(converted, item)))
          await cp(join(converted, item), join(outputDir, item), { recursive: true });
      }
    }
    return {
      files: sets.flatMap((s) => s.files).sort(),
      sets: sets.map((s) => ({ ...s, action: keep(s) ? 'unchanged' : s.state === 'new' ? 'written' : 'replaced' })),
    };
  });
}

/** What writing the permission sets would do, without writing anything (for a dry run). */
export async function planPermissionSetSources(
  docs: PermissionSetDoc[],
  options: Omit<WriteOptions, 'force' | 'keepIdentical'>,
): Promise<SourceSetState[]> {
  return withSources(docs, options, (_converted, sets) => Promise.resolve(sets));
}

/** The two names a permission set can have on disk: its single file and its decomposed folder. */
const itemsOf = (fullName: string): string[] => [`${fullName}.permissionset-meta.xml`, fullName];
const targetsOf = (outputDir: string, fullName: string): string[] => itemsOf(fullName).map((i) => join(outputDir, i));

/**
 * Metadata format to source format. A plain permission set is the same XML under a `-meta.xml` name, so it is
 * renamed without loading source-deploy-retrieve (seconds of start-up); a project that decomposes permission sets
 * gets SDR's converter, with the project's registry.
 */
async function toSourceFormat(mdapiDir: string, sourceDir: string, projectDir: string | undefined): Promise<void> {
  if (!(await decomposesPermissionSets(projectDir))) {
    const target = join(sourceDir, 'permissionsets');
    await mkdir(target, { recursive: true });
    for (const file of await readdir(join(mdapiDir, 'permissionsets'))) {
      await cp(join(mdapiDir, 'permissionsets', file), join(target, `${file}-meta.xml`));
    }
    return;
  }
  const { ComponentSet, MetadataConverter, RegistryAccess } = await import('@salesforce/source-deploy-retrieve');
  const registry = new RegistryAccess(undefined, projectDir);
  const components = ComponentSet.fromSource({ fsPaths: [mdapiDir], registry });
  await new MetadataConverter(registry).convert(components, 'source', {
    type: 'directory',
    outputDirectory: sourceDir,
    genUniqueDir: false,
  });
}

/** Whether the project's sfdx-project.json asks for decomposed permission sets (sourceBehaviorOptions). */
async function decomposesPermissionSets(projectDir: string | undefined): Promise<boolean> {
  if (!projectDir) return false;
  try {
    const project = JSON.parse(await readFile(join(projectDir, 'sfdx-project.json'), 'utf8')) as {
      sourceBehaviorOptions?: unknown;
    };
    const options = Array.isArray(project.sourceBehaviorOptions) ? project.sourceBehaviorOptions : [];
    return options.some((o) => typeof o === 'string' && /permissionset/i.test(o));
  } catch {
    // no readable project file: SDR decides, as before
    return true;
  }
}

/** Converts the sets to source format in a temporary folder, compares each with the disk, and hands both on. */
async function withSources<T>(
  docs: PermissionSetDoc[],
  options: Pick<WriteOptions, 'outputDir' | 'projectDir'>,
  use: (converted: string, sets: SourceSetState[]) => Promise<T>,
): Promise<T> {
  const outputDir = resolve(options.outputDir);
  const projectDir = options.projectDir ?? (await findProjectDir(outputDir));
  const work = await mkdtemp(join(tmpdir(), 'sf-integration-user-'));
  try {
    const mdapiDir = join(work, 'mdapi', 'permissionsets');
    await mkdir(mdapiDir, { recursive: true });
    // streamed: a permission set converted from a large profile can be tens of MB
    await Promise.all(docs.map((doc) => writePermissionSetXml(doc, join(mdapiDir, `${doc.fullName}.permissionset`))));

    const sourceDir = join(work, 'source');
    await toSourceFormat(join(work, 'mdapi'), sourceDir, projectDir);
    const converted = await findPermissionSetsDir(sourceDir);
    const sets = await Promise.all(docs.map((doc) => compareSet(doc.fullName, converted, outputDir)));
    return await use(converted, sets);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function compareSet(fullName: string, converted: string, outputDir: string): Promise<SourceSetState> {
  const filesIn = async (root: string): Promise<string[]> =>
    (
      await Promise.all(
        itemsOf(fullName).map(async (i) => ((await pathExists(join(root, i))) ? listFiles(join(root, i)) : [])),
      )
    ).flat();
  const produced = (await filesIn(converted)).map((f) => relative(converted, f));
  const onDisk = (await filesIn(outputDir)).map((f) => relative(outputDir, f));
  const files = produced.map((f) => join(outputDir, f)).sort();
  if (onDisk.length === 0) return { fullName, state: 'new', files, differing: [] };
  const wanted = new Set(produced);
  const differing: string[] = [];
  for (const f of onDisk) {
    if (!wanted.has(f) || !(await readFile(join(outputDir, f))).equals(await readFile(join(converted, f))))
      differing.push(join(outputDir, f));
  }
  const missing = produced.some((f) => !onDisk.includes(f));
  if (differing.length === 0 && !missing) return { fullName, state: 'unchanged', files, differing };
  if (differing.length === 0) differing.push(join(outputDir, fullName));
  return { fullName, state: 'differs', files, differing: differing.sort() };
}

/**
 * Where permission sets go by default: the `permissionsets` folder of the default package directory when `cwd` is
 * inside an SFDX project (under `main/default` unless the package keeps metadata folders at its top), else `cwd`.
 */
export async function resolveDefaultOutputDir(cwd: string): Promise<string> {
  const root = await defaultPackageMetadataRoot(cwd, 'permissionsets');
  return root ? join(root, 'permissionsets') : resolve(cwd);
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

/** Target files exist and `force` wasn't given: nothing was written (recognised by class; data `{ existing }`). */
export class OutputExistsError extends SfError {
  public constructor(public readonly existing: string[]) {
    super(
      messages.getMessage('error.OutputExists', [existing.map((e) => `\n  ${e}`).join('')]),
      'OutputExistsError',
      messages.getMessages('error.OutputExists.actions'),
    );
    this.setData({ existing });
  }
}
