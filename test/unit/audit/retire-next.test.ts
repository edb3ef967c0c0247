import { expect } from 'chai';
import { addRetireCommands, integrationsMoved } from '../../../src/audit/retire-next.js';
import type { Candidate } from '../../../src/audit/types.js';

const NOW = new Date('2026-06-30T00:00:00.000Z');
const cand = (username: string, traits: Candidate['traits'], apps: Candidate['apps'], uiLogins = 0): Candidate => ({
  userId: username,
  username,
  name: username,
  class: traits[0],
  traits,
  risks: [],
  apps,
  apiLogins: 1,
  uiLogins,
  movable: true,
  extraSeats: 0,
  nextCommands: [],
  notes: [],
});
const app = (name: string, lastLogin: string): Candidate['apps'][number] => ({
  app: name,
  logins: 1,
  lastLogin,
  loginTypes: ['Remote Access 2.0'],
});

describe('audit: retire named for candidates whose integrations have moved', () => {
  it('names retire when an Integration-licensed user runs the same app more recently', () => {
    const old = cand('integrations@acme.com', ['api-only-full-license'], [app('Marketo', '2026-06-20T00:00:00.000Z')]);
    const repl = cand(
      'marketo@acme.com.integration',
      ['integration-license'],
      [app('Marketo', '2026-06-29T00:00:00.000Z')],
    );
    addRetireCommands([old, repl], NOW, 'prod');
    expect(old.nextCommands).to.deep.equal([
      'sf integration-user retire --target-org prod --user integrations@acme.com',
    ]);
    expect(repl.nextCommands).to.deep.equal([]);
  });

  it("names retire when the last use is older than retire's 30-day window", () => {
    expect(
      integrationsMoved(
        cand('a@acme.com', ['api-only-full-license'], [app('ETL', '2026-05-01T00:00:00.000Z')]),
        [],
        NOW,
      ),
    ).to.equal(true);
  });

  it("not while an app still runs only on the old user, nor for a person's user", () => {
    const old = cand(
      'integrations@acme.com',
      ['shared-integration'],
      [app('Marketo', '2026-06-20T00:00:00.000Z'), app('HubSpot', '2026-06-28T00:00:00.000Z')],
    );
    const repl = cand(
      'marketo@acme.com.integration',
      ['integration-license'],
      [app('Marketo', '2026-06-29T00:00:00.000Z')],
    );
    expect(integrationsMoved(old, [old, repl], NOW)).to.equal(false);
    const person = cand('jane@acme.com', ['person-and-integration'], [app('ETL', '2026-05-01T00:00:00.000Z')], 3);
    expect(integrationsMoved(person, [], NOW)).to.equal(false);
  });
});
