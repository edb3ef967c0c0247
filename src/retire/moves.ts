/** How to move each thing that still uses the old user onto its own integration user. */
import { shellQuote, slug } from '../audit/classify.js';
import type { RunsAsKind } from './types.js';

export type MoveInput = { kind: RunsAsKind | 'app'; name: string; user?: string; targetOrg?: string };

const SETUP_MOVES: Record<RunsAsKind, (name: string) => string> = {
  // scheduled Apex runs as the user who scheduled it: it has to be scheduled again by (or as) the new user
  'scheduled-job': (n) =>
    `Scheduled job "${n}": in Setup > Scheduled Jobs, delete it and schedule it again as the new integration user.`,
  'apex-job': (n) =>
    `Apex job "${n}": let it finish (Setup > Apex Jobs), and start its schedule or trigger from the new user.`,
  dashboard: (n) => `Dashboard "${n}": edit it and set "View dashboard as" to another active user.`,
  'outbound-message': (n) =>
    `Outbound message "${n}": in Setup > Outbound Messages, set "User to send as" to the new integration user.`,
  'email-service': (n) => `Email service address ${n}: in Setup > Email Services, change its Context User.`,
  'client-credentials': (n) =>
    `External Client App "${n}": make the new user its client credentials execution user (sf integration-user connect --app-name ${shellQuote(n)} --username <new user>).`,
};

export function movesFor(m: MoveInput): string {
  if (m.kind !== 'app') return SETUP_MOVES[m.kind](m.name);
  const user = m.user ?? '<old user>';
  const at = user.lastIndexOf('@');
  const domain = at < 0 ? 'example.com' : user.slice(at + 1);
  const base = slug(m.name.replace(/^\(unnamed (.*) client\)$/, '$1'));
  const org = shellQuote(m.targetOrg ?? '<org>');
  const newUser = `${base}.integration@${domain}`;
  return (
    `${m.name}: sf integration-user create --target-org ${org} --username ${newUser} --from-user ${shellQuote(user)}, ` +
    `then sf integration-user connect --target-org ${org} --username ${newUser} --app-name ${slug(m.name).replace(/-/g, '_')} and point ${m.name} at it`
  );
}
