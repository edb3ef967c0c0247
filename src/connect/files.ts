import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Messages } from '@salesforce/core';
import type { EcaComponent } from './eca.js';
import { defaultPackageMetadataRoot } from '../metadata/project-paths.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.connect');

/** Folder and suffix of the types connect writes, as source-deploy-retrieve's registry names them (not loaded at start-up). */
const TYPES: Record<string, { directoryName: string; suffix: string }> = {
  ExternalClientApplication: { directoryName: 'externalClientApps', suffix: 'eca' },
  ExtlClntAppOauthSettings: { directoryName: 'extlClntAppOauthSettings', suffix: 'ecaOauth' },
  ExtlClntAppGlobalOauthSettings: { directoryName: 'extlClntAppGlobalOauthSets', suffix: 'ecaGlblOauth' },
  ExtlClntAppOauthConfigurablePolicies: { directoryName: 'extlClntAppOauthPolicies', suffix: 'ecaOauthPlcy' },
  ExtlClntAppConfigurablePolicies: { directoryName: 'extlClntAppPolicies', suffix: 'ecaPlcy' },
};

/** Source-format path of a component below a metadata folder such as force-app/main/default (folder and suffix as SDR's registry has them). */
export function componentPath(baseDir: string, component: Pick<EcaComponent, 'type' | 'fullName'>): string {
  const type = TYPES[component.type];
  if (!type) throw new Error(`No source folder known for metadata type ${component.type}`);
  return join(baseDir, type.directoryName, `${component.fullName}.${type.suffix}-meta.xml`);
}

/**
 * Where metadata goes by default: `main/default` of the default package directory when `cwd` is inside an SFDX
 * project (or the package folder itself when it keeps metadata folders at its top), else `cwd`.
 */
export async function resolveMetadataBaseDir(cwd: string): Promise<string> {
  return (await defaultPackageMetadataRoot(cwd, 'externalClientApps')) ?? resolve(cwd);
}

export type WrittenFile = { path: string; type: string; fullName: string; status: 'written' | 'unchanged' };

/**
 * Writes the components as source files. A file with the same content is left alone ("unchanged"); a file with other
 * content is replaced only with `force`. Nothing is written when any file would need `force` and it isn't set.
 *
 * @throws SfError OutputExists
 */
export async function writeEcaSources(
  components: readonly EcaComponent[],
  options: { baseDir: string; force?: boolean },
): Promise<WrittenFile[]> {
  const planned = await Promise.all(
    components.map(async (c) => {
      const path = componentPath(options.baseDir, c);
      const current = await readFile(path, 'utf8').catch(() => undefined);
      return { c, path, current };
    }),
  );
  const conflicting = planned.filter((p) => p.current !== undefined && p.current !== p.c.xml).map((p) => p.path);
  if (conflicting.length && !options.force) {
    throw messages.createError('error.OutputExists', [conflicting.map((p) => `\n  ${p}`).join('')]);
  }
  const written: WrittenFile[] = [];
  for (const p of planned) {
    const unchanged = p.current === p.c.xml;
    if (!unchanged) {
      await mkdir(dirname(p.path), { recursive: true });
      await writeFile(p.path, p.c.xml, 'utf8');
    }
    written.push({ path: p.path, type: p.c.type, fullName: p.c.fullName, status: unchanged ? 'unchanged' : 'written' });
  }
  return written;
}

/**
 * Runs `work` with every component written as source files in a temporary folder (deleted afterwards, whatever
 * happens): how the global OAuth settings, which must never be in a project, reach the org.
 */
export async function withTemporarySources<T>(
  components: readonly EcaComponent[],
  work: (files: string[]) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'sf-integration-user-eca-'));
  try {
    const files: string[] = [];
    for (const c of components) {
      const path = componentPath(dir, c);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, c.xml, 'utf8');
      files.push(path);
    }
    return await work(files);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
