import { join } from 'node:path';
import { expect } from 'chai';
import { RegistryAccess } from '@salesforce/source-deploy-retrieve';
import { componentPath } from '../../../src/connect/files.js';

describe('connect source paths', () => {
  it('match source-deploy-retrieve registry (folder and suffix), without loading it at start-up', () => {
    const registry = new RegistryAccess();
    const types = [
      'ExternalClientApplication',
      'ExtlClntAppOauthSettings',
      'ExtlClntAppGlobalOauthSettings',
      'ExtlClntAppOauthConfigurablePolicies',
    ] as const;
    for (const type of types) {
      const t = registry.getTypeByName(type);
      expect(componentPath('/p', { type, fullName: 'App' })).to.equal(
        join('/p', t.directoryName, `App.${t.suffix!}-meta.xml`),
      );
    }
  });
});
