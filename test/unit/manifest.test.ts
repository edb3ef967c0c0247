import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { Plugin } from '@oclif/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Manifest = { commands: Record<string, unknown> };

/** The manifest as committed (HEAD), or undefined outside a git checkout. */
function committedManifest(): Manifest | undefined {
  try {
    return JSON.parse(
      execFileSync('git', ['show', 'HEAD:oclif.manifest.json'], {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as Manifest;
  } catch {
    return undefined;
  }
}

function expectSameCommands(actual: Manifest, expected: Record<string, unknown>, what: string): void {
  expect(Object.keys(actual.commands).sort(), `${what}: command ids`).to.deep.equal(Object.keys(expected).sort());
  for (const id of Object.keys(expected)) expect(actual.commands[id], `${what}: ${id}`).to.deep.equal(expected[id]);
}

describe('oclif.manifest.json', () => {
  let fresh: Record<string, unknown>;

  before(async () => {
    // Same construction as `oclif manifest`: load the commands from lib/, ignoring any manifest.
    const plugin = new Plugin({
      root,
      type: 'core',
      ignoreManifest: true,
      errorOnManifestCreate: true,
      respectNoCacheDefault: true,
    });
    await plugin.load();
    fresh = JSON.parse(JSON.stringify(plugin.manifest.commands)) as Record<string, unknown>;
  });

  it('is written by the build from the commands in lib/', async () => {
    const written = JSON.parse(await readFile(join(root, 'oclif.manifest.json'), 'utf8')) as Manifest;
    expectSameCommands(written, fresh, 'run `npm run build`');
  });

  it('is committed current, so a git install or link sees every command (build, then commit oclif.manifest.json)', function () {
    const committed = committedManifest();
    if (!committed) this.skip();
    expectSameCommands(committed, fresh, 'commit the regenerated oclif.manifest.json');
  });
});
