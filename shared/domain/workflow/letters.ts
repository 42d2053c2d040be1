import type { TemplateRequest } from '../../templates/render';
import { prepareLetter, letterIdOf } from '../letters/prepare';
import type { LetterDeps } from '../letters/ports';
import type { Actor, MessagePurposeSchema } from '../ledger/events';
import type { CaseLedger } from '../ledger/ports';
import type { CaseProjection } from '../ledger/projection';
import type { Policy } from '../policy/schema';
import type * as z from 'zod';

/** Prefix of the message id of a letter (as staff commands record it). */
const MAIL_PREFIX = 'mail:';

/**
 * A workflow message to a requester without email, once per key: recorded as sent by post
 * (`message.sent` with a `mail:` id, under `key`) and prepared as a letter (`letter.prepared`, under
 * `<key>:letter`) for staff to print and post. The message id is derived from the case and the key, so a step
 * resumed after a crash finds the same letter rather than preparing a second one.
 */
export async function mailOnce(
  deps: { readonly ledger: CaseLedger; readonly letters: LetterDeps; readonly policy: Policy },
  context: { readonly projection: CaseProjection; readonly actor: Actor; readonly at: string },
  key: string,
  purpose: z.infer<typeof MessagePurposeSchema>,
  request: TemplateRequest,
): Promise<{ messageId: string; letterId: string }> {
  const { projection } = context;
  const caseId = projection.caseId;
  const events = await deps.ledger.read(caseId);
  const previous = events.find((e) => e.type === 'message.sent' && e.idempotencyKey === key);
  const messageId =
    previous?.type === 'message.sent' ? previous.data.messageId : `${MAIL_PREFIX}${letterIdOf(caseId, key)}`;
  if (previous === undefined) {
    await deps.ledger.append(
      caseId,
      {
        type: 'message.sent',
        at: context.at,
        actor: context.actor,
        data: {
          messageId,
          purpose,
          recipient: 'requester',
          template: request.template,
          language: request.language,
        },
      },
      { idempotencyKey: key },
    );
  }
  const { letterId } = await prepareLetter(
    deps,
    { ...context, messageId, idempotencyKey: `${key}:letter` },
    request,
  );
  return { messageId, letterId };
}
