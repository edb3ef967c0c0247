import { join } from 'node:path';
import { expect } from 'chai';
import { RegistryAccess } from '@salesforce/source-deploy-retrieve';
import { componentPath } from '../../../src/connect/files.js';

describe('connect source paths', () => {
  it('match source-deploy-retrieve registry (folder and suffix), without loading it at start-up', () => {
    const registry = new RegistryAccess();
    for (const type of ['ExternalClientApplication', 'ExtlClntAppOauthSettings', 'ExtlClntAppGlobalOauthSettings', 'ExtlClntAppOauthConfigurablePolicies', 'ExtlClntAppConfigurablePolicies']) {
      const t = registry.getTypeByName(type);
      expect(componentPath('/p', { type, fullName: 'App' })).to.equal(join('/p', t.directoryName, `App.${t.suffix!}-meta.xml`));
    }
  });
});
