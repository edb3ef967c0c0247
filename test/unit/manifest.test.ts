import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { Plugin } from '@oclif/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('oclif.manifest.json', () => {
  it('matches the commands as built (run `npm run manifest` after changing a command)', async () => {
    // Same construction as `oclif manifest`: load the commands from lib/, ignoring the committed manifest.
    const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true });
    await plugin.load();
    const committed = JSON.parse(await readFile(join(root, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, unknown>;
    };
    const fresh = JSON.parse(JSON.stringify(plugin.manifest.commands)) as Record<string, unknown>;
    expect(Object.keys(committed.commands).sort()).to.deep.equal(Object.keys(fresh).sort());
    for (const id of Object.keys(fresh)) {
      expect(committed.commands[id], `manifest entry for ${id}`).to.deep.equal(fresh[id]);
    }
  });
});
