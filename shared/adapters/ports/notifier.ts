import type { SESv2Client } from '@aws-sdk/client-sesv2';

import { SesNotifier } from '../ses/ses-notifier';

/** Who Jalon's mail is from, and the SES configuration set whose events report on it. */
export interface SenderConfig {
  /** The verified sending address (`Name <address>` or `address`). */
  readonly address: string;
  /** Named on every message when set (its events feed the mail-events function). */
  readonly configurationSet?: string | undefined;
}

/** Outgoing mail through SES, from the organization's sending address. */
export function notifierOn(input: { readonly ses: SESv2Client; readonly sender: SenderConfig }): SesNotifier {
  const { ses, sender } = input;
  return new SesNotifier({
    client: ses,
    from: sender.address,
    ...(sender.configurationSet ? { configurationSetName: sender.configurationSet } : {}),
  });
}
