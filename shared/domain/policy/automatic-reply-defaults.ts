import type { AutomaticReplies } from './schema';

/** The limits when a policy file states none. */
export const DEFAULT_AUTOMATIC_REPLIES: AutomaticReplies = {
  receiptsPerAddressPerDay: 5,
  flood: { messages: 10, windowMinutes: 60 },
};
