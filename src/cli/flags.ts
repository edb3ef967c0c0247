/**
 * Flags that several commands share, each with its own wording (a command's help says what the flag does there), as
 * plugin-deploy-retrieve shares its deploy flags. The caller passes its messages; the keys are `flags.<name>.summary`
 * (and `.description` where listed).
 */
import type { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';

/** Copying a user's access with least privilege: keep a high-risk permission, narrow objects to what was used. */
export const copyAccessFlags = (messages: Messages<string>) =>
  ({
    'keep-permission': Flags.string({
      summary: messages.getMessage('flags.keep-permission.summary'),
      description: messages.getMessage('flags.keep-permission.description'),
      multiple: true,
    }),
    'narrow-to-usage': Flags.boolean({
      summary: messages.getMessage('flags.narrow-to-usage.summary'),
      description: messages.getMessage('flags.narrow-to-usage.description'),
      dependsOn: ['from-user'],
    }),
    'usage-days': Flags.integer({
      summary: messages.getMessage('flags.usage-days.summary'),
      dependsOn: ['narrow-to-usage'],
    }),
  }) as const;

/** Commands that deploy: plan only, replace what differs, how long to wait, and (hidden) a fixed poll interval. */
export const deployFlags = (messages: Messages<string>) =>
  ({
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), default: false }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary'), default: false }),
    wait: Flags.duration({
      summary: messages.getMessage('flags.wait.summary'),
      unit: 'minutes',
      defaultValue: 33,
      min: 1,
    }),
    'poll-interval': Flags.integer({ summary: messages.getMessage('flags.poll-interval.summary'), hidden: true }),
  }) as const;
