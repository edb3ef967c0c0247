import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TEST_API_VERSION } from './api-version.js';

/** Makes dir an SFDX project with a default force-app package directory, decomposed permission sets if asked. */
export async function writeSfdxProject(
  dir: string,
  { decomposed = false, sourceApiVersion = TEST_API_VERSION } = {},
): Promise<void> {
  await mkdir(join(dir, 'force-app'), { recursive: true });
  await writeFile(
    join(dir, 'sfdx-project.json'),
    JSON.stringify({
      packageDirectories: [{ path: 'force-app', default: true }],
      sourceApiVersion,
      ...(decomposed ? { sourceBehaviorOptions: ['decomposePermissionSetBeta2'] } : {}),
    }),
  );
}
