import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from '../../zod-mini';

import { StoreError } from '../../errors';
import { CaseIdSchema } from '../../domain/case/case';
import { EmailAddressSchema } from '../../domain/case/email-address';
import { parseOrThrow } from '../../domain/case/parse';
import {
  REPLY_TOKEN_PATTERN,
  formatReplyAddress,
  newReplyToken,
} from '../../domain/intake/email/reply-addresses';
import type {
  ReplyAddress,
  ReplyAddressBook,
  ReplyAddressFormat,
  ReplyTarget,
} from '../../domain/intake/email/reply-addresses';
import { isConditionalCheckFailed, toStoreError } from './store-errors';
import type { TableNames } from './table-definitions';

export interface DynamoDbReplyAddressBookConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'control'>;
  /** `demandes` and the intake domain: addresses are `demandes+<token>@<domain>`. */
  readonly format: ReplyAddressFormat;
  /** Source of new tokens (default: 128 random bits from `crypto.randomBytes`). */
  readonly newToken?: () => string;
  /** For `createdAt` (default: the system clock). */
  readonly now?: () => Date;
}

/** Key of a case's reply-address item in the `control` table. */
export function replyAddressKey(caseId: string): string {
  return `replyto#${caseId}`;
}

/** Key of a token's item in the `control` table. */
export function replyTokenKey(token: string): string {
  return `reply#${token}`;
}

const RequesterEmailSchema = EmailAddressSchema;
/** Cases whose bound reply address an instance remembers (memory stays bounded). */
const REMEMBERED_ADDRESSES = 500;
const TokenSchema = z.string().check(z.regex(REPLY_TOKEN_PATTERN, 'expected a reply token'));

const StoredSchema = z.object({
  caseId: CaseIdSchema,
  token: TokenSchema,
  requesterEmail: RequesterEmailSchema,
});

/**
 * `ReplyAddressBook` on the `control` table, two items per case:
 * - `replyto#<caseId>` → `{token, requesterEmail}`: written first, with a new token and
 *   `attribute_not_exists(pk)`, so the first caller for a case fixes its token; a later or concurrent caller's
 *   put fails its condition and it reads that token back (no read before the put: a new case costs one write
 *   here, a case already given an address a failed put and a read);
 * - `reply#<token>` → `{caseId, requesterEmail}`: what an incoming reply is looked up by; written (again) by
 *   every `addressFor`, with `attribute_not_exists(pk) OR caseId = :caseId`, which repairs a token lost to a
 *   crash between the two writes and can never point a token at another case.
 * A new case's address thus costs two requests, three when another instance gave it first. Requester addresses
 * are stored lower-case. Reads are strongly consistent. A case's address never changes once its two items are
 * written, so an instance remembers the addresses it has bound (a few hundred cases) and answers them again
 * without a request: a case's messages after its first cost no reply-address round trip.
 */
export class DynamoDbReplyAddressBook implements ReplyAddressBook {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly format: ReplyAddressFormat;
  private readonly newToken: () => string;
  private readonly now: () => Date;
  /** Addresses whose two items this instance wrote or confirmed, by case id, oldest first. */
  private readonly bound = new Map<string, ReplyAddress>();

  constructor(config: DynamoDbReplyAddressBookConfig) {
    this.client = config.client;
    this.table = config.tables.control;
    this.format = config.format;
    this.newToken = config.newToken ?? (() => newReplyToken());
    this.now = config.now ?? (() => new Date());
  }

  async addressFor(caseId: string, requesterEmail: string): Promise<ReplyAddress> {
    const id = parseOrThrow(CaseIdSchema, caseId, 'case id');
    const email = parseOrThrow(RequesterEmailSchema, requesterEmail.trim(), 'requester email').toLowerCase();
    const known = this.bound.get(id);
    if (known !== undefined) return known;
    const record = await this.recordOf(id, email);
    await this.bindToken(record);
    const address = {
      caseId: id,
      token: record.token,
      address: formatReplyAddress(record.token, this.format),
    };
    if (this.bound.size >= REMEMBERED_ADDRESSES) this.bound.delete(this.bound.keys().next().value as string);
    this.bound.set(id, address);
    return address;
  }

  async find(caseId: string): Promise<ReplyAddress | undefined> {
    const id = parseOrThrow(CaseIdSchema, caseId, 'case id');
    const record = await this.read(replyAddressKey(id));
    return record === undefined
      ? undefined
      : { caseId: id, token: record.token, address: formatReplyAddress(record.token, this.format) };
  }

  async resolve(token: string): Promise<ReplyTarget | undefined> {
    const normalized = token.toLowerCase();
    if (!REPLY_TOKEN_PATTERN.test(normalized)) return undefined;
    const record = await this.read(replyTokenKey(normalized));
    if (record === undefined || record.token !== normalized) return undefined;
    return { caseId: record.caseId, requesterEmail: record.requesterEmail };
  }

  /**
   * The case's `replyto#` item: written with a new token unless it exists (one request for a new case), else
   * read back (the token a previous or concurrent caller fixed).
   */
  private async recordOf(caseId: string, email: string): Promise<z.infer<typeof StoredSchema>> {
    const token = parseOrThrow(TokenSchema, this.newToken(), 'reply token');
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: replyAddressKey(caseId),
            kind: 'reply-address',
            caseId,
            token,
            requesterEmail: email,
            createdAt: this.now().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { caseId, token, requesterEmail: email };
    } catch (error) {
      if (!isConditionalCheckFailed(error))
        throw toStoreError(error, { operation: 'PutItem', table: 'control' });
    }
    const record = await this.read(replyAddressKey(caseId));
    if (record === undefined) {
      throw new StoreError('The reply address exists but could not be read back.', {
        transient: true,
        details: { operation: 'GetItem', table: 'control' },
      });
    }
    return record;
  }

  private async bindToken(record: z.infer<typeof StoredSchema>): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: replyTokenKey(record.token),
            kind: 'reply-token',
            token: record.token,
            caseId: record.caseId,
            requesterEmail: record.requesterEmail,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR caseId = :caseId',
          ExpressionAttributeValues: { ':caseId': record.caseId },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error))
        throw toStoreError(error, { operation: 'PutItem', table: 'control' });
      // 128 random bits collided with another case's token: refuse rather than cross two cases.
      throw new StoreError('The reply token already belongs to another case.', {
        transient: false,
        details: { operation: 'PutItem', table: 'control', caseId: record.caseId },
      });
    }
  }

  private async read(pk: string): Promise<z.infer<typeof StoredSchema> | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      ({ Item: item } = await this.client.send(
        new GetCommand({ TableName: this.table, Key: { pk }, ConsistentRead: true }),
      ));
    } catch (error) {
      throw toStoreError(error, { operation: 'GetItem', table: 'control' });
    }
    if (item === undefined) return undefined;
    const parsed = StoredSchema.safeParse(item);
    if (parsed.success) return parsed.data;
    throw new StoreError('A stored reply address does not match its schema.', {
      transient: false,
      details: {
        operation: 'GetItem',
        table: 'control',
        paths: parsed.error.issues.map((i) => i.path.join('.')),
      },
    });
  }
}
