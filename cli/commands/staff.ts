import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from '../../shared/zod-mini';

import {
  StaffDirectoryConfigSchema,
  StaffMembersConfigSchema,
} from '../../shared/adapters/config/static-directory';
import {
  DynamoDbStaffDirectoryEditor,
  InvalidStaffEntryError,
  type StaffDirectoryChange,
  type StaffDirectoryListing,
  type StaffPutOutcome,
} from '../../shared/adapters/dynamodb/staff-directory-editor';
import { documentClientOn } from '../../shared/adapters/ports/document-client';
import { DomainError, type BilingualText, type RequestIssue } from '../../shared/errors';
import type { Policy } from '../../shared/domain/policy/schema';
import { notifiedGroups } from '../../shared/domain/workflow/recipients';
import { toRequestIssues } from '../../shared/schemas/staff-api';

export type StaffCommandLanguage = 'fr' | 'en';

/** A refused or failed `jalon staff` command: exit code 2 for a bad input, 1 otherwise. */
export class StaffCommandError extends Error {
  override readonly name = 'StaffCommandError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export interface StaffTableTarget {
  /** The staff table, e.g. `jalon-prod-staff` (`jalon-local-staff` for the local stack). */
  readonly table: string;
  /** A DynamoDB endpoint (the local stack's dynalite) instead of AWS. */
  readonly endpoint?: string;
}

/**
 * The editor of the staff table named: in AWS with the credentials and region of the environment (the
 * operator's own, which is who CloudTrail records); on an emulator endpoint with placeholder credentials.
 */
export function staffEditor(target: StaffTableTarget): DynamoDbStaffDirectoryEditor {
  const client =
    target.endpoint !== undefined
      ? new DynamoDBClient({
          endpoint: target.endpoint,
          region: 'ca-central-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        })
      : new DynamoDBClient({});
  return new DynamoDbStaffDirectoryEditor({
    client: documentClientOn(client),
    tables: { staff: target.table },
    clock: { now: () => new Date() },
  });
}

/**
 * What `npx jalon staff load` reads: the groups' addresses (the former `staffDirectory` setting) and the staff
 * members (the former `staffMembers`), either or both.
 */
export const StaffDirectoryFileSchema = z
  .strictObject({
    groups: z.optional(StaffDirectoryConfigSchema),
    members: z.optional(StaffMembersConfigSchema),
  })
  .check(
    z.superRefine((file, context) => {
      const seen = new Set<string>();
      (file.members ?? []).forEach((member, index) => {
        if (seen.has(member.id)) {
          context.addIssue({
            code: 'custom',
            path: ['members', index, 'id'],
            message: 'appears twice in the file',
            params: { fr: 'figure deux fois dans le fichier' },
          });
        }
        seen.add(member.id);
      });
    }),
  );
export type StaffDirectoryFile = z.infer<typeof StaffDirectoryFileSchema>;

/** The field-by-field refusal, one line per field, in `lang`. */
function issueLines(issues: readonly RequestIssue[], lang: StaffCommandLanguage): string {
  return issues.map((issue) => `  ${issue.path === '' ? '(value)' : issue.path}: ${issue[lang]}`).join('\n');
}

const INVALID_FILE: BilingualText = {
  fr: 'Le fichier de l’annuaire contient des champs invalides :',
  en: 'The directory file has invalid fields:',
};

/**
 * Parses a directory file (JSON text), or throws a `StaffCommandError` (exit 2) naming every failing field.
 */
export function parseDirectoryFile(text: string, lang: StaffCommandLanguage): StaffDirectoryFile {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new StaffCommandError(
      lang === 'fr' ? 'Le fichier n’est pas du JSON valide.' : 'The file is not valid JSON.',
      2,
    );
  }
  const result = StaffDirectoryFileSchema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) => toRequestIssues(issue));
  throw new StaffCommandError(`${INVALID_FILE[lang]}\n${issueLines(issues, lang)}`, 2);
}

/** A refusal of the editor as the command says it: the reason in `lang`, field by field for a bad entry. */
export function commandErrorOf(error: unknown, lang: StaffCommandLanguage): unknown {
  if (error instanceof InvalidStaffEntryError) {
    return new StaffCommandError(`${error.messages[lang]}\n${issueLines(error.issues, lang)}`, 2);
  }
  if (error instanceof DomainError) {
    return new StaffCommandError(error.messages[lang], error.status === 409 ? 1 : 2);
  }
  return error;
}

export interface LoadSummary {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

/**
 * Puts every group and member of the file into the table, each recorded as a change by `by`; entries already
 * equal are left alone, entries the file does not name are kept (remove them with `staff remove`).
 */
export async function loadDirectory(
  editor: Pick<DynamoDbStaffDirectoryEditor, 'putGroup' | 'putMember'>,
  file: StaffDirectoryFile,
  by: string,
): Promise<LoadSummary> {
  const counts: Record<StaffPutOutcome, number> = { created: 0, updated: 0, unchanged: 0 };
  for (const [group, addresses] of Object.entries(file.groups ?? {})) {
    counts[await editor.putGroup(group, addresses, by)] += 1;
  }
  for (const member of file.members ?? []) {
    counts[await editor.putMember(member, by)] += 1;
  }
  return counts;
}

/** One line for a load: how many entries were created, changed and already so. */
export function formatLoadSummary(summary: LoadSummary, lang: StaffCommandLanguage): string {
  return lang === 'fr'
    ? `Entrées créées : ${summary.created}, modifiées : ${summary.updated}, inchangées : ${summary.unchanged}`
    : `Entries created: ${summary.created}, updated: ${summary.updated}, unchanged: ${summary.unchanged}`;
}

/** The groups the policy notifies that the directory gives no address: their notifications reach nobody. */
export function groupsWithoutAddresses(
  groups: readonly string[],
  policy: Pick<Policy, 'categories'>,
): string[] {
  const known = new Set(groups);
  return notifiedGroups(policy).filter((group) => !known.has(group));
}

/** A warning line when some notified groups have no addresses, else nothing. */
export function missingGroupsWarning(missing: readonly string[], lang: StaffCommandLanguage): string[] {
  if (missing.length === 0) return [];
  return [
    lang === 'fr'
      ? `AVERTISSEMENT — Groupes que la politique avise sans adresse (leurs avis ne partent vers personne) : ${missing.join(', ')}`
      : `WARNING — Groups the policy notifies without an address (their notifications reach nobody): ${missing.join(', ')}`,
  ];
}

/** A warning when a group is one the policy never notifies (a typo, or a group of another policy). */
export function unknownGroupWarning(
  group: string,
  policy: Pick<Policy, 'categories'>,
  lang: StaffCommandLanguage,
): string[] {
  if (notifiedGroups(policy).includes(group)) return [];
  return [
    lang === 'fr'
      ? `AVERTISSEMENT — La politique n’avise aucun groupe ${group} : ces adresses ne recevront rien.`
      : `WARNING — The policy notifies no group ${group}: these addresses will receive nothing.`,
  ];
}

/** The directory as text: members, groups, then invalid items and notified groups without addresses. */
export function formatListing(
  listing: StaffDirectoryListing,
  policy: Pick<Policy, 'categories'>,
  lang: StaffCommandLanguage,
): string {
  const by = lang === 'fr' ? 'par' : 'by';
  const stamp = (item: { changedAt: string; changedBy: string }) =>
    `(${item.changedAt} ${by} ${item.changedBy})`;
  const lines = [
    lang === 'fr' ? `Membres : ${listing.members.length}` : `Members: ${listing.members.length}`,
  ];
  for (const { member, ...item } of listing.members) {
    const fields = [
      member.id,
      member.roles.join(',') || '-',
      member.units.join(',') || '-',
      member.email ?? '-',
      member.name !== undefined ? `« ${member.name} »` : '-',
      stamp(item),
    ];
    lines.push(`  ${fields.join('  ')}`);
  }
  lines.push(lang === 'fr' ? `Groupes : ${listing.groups.length}` : `Groups: ${listing.groups.length}`);
  for (const group of listing.groups) {
    lines.push(`  ${group.sk}  ${group.addresses.join(', ')}  ${stamp(group)}`);
  }
  for (const invalid of listing.invalid) {
    lines.push(
      lang === 'fr'
        ? `AVERTISSEMENT — Entrée invalide, ignorée par les fonctions : ${invalid.partition} ${invalid.key} (${invalid.paths.join(', ')}); remplacez-la avec staff put.`
        : `WARNING — Invalid entry, ignored by the functions: ${invalid.partition} ${invalid.key} (${invalid.paths.join(', ')}); replace it with staff put.`,
    );
  }
  const missing = groupsWithoutAddresses(
    listing.groups.map((group) => group.sk),
    policy,
  );
  lines.push(...missingGroupsWarning(missing, lang));
  return lines.join('\n');
}

/** The recorded changes, newest first: when, who, what, on which entry. */
export function formatChanges(changes: readonly StaffDirectoryChange[], lang: StaffCommandLanguage): string {
  const actions: Record<StaffDirectoryChange['action'], BilingualText> = {
    put: { fr: 'écrit', en: 'put' },
    remove: { fr: 'retiré', en: 'removed' },
  };
  const kinds: Record<StaffDirectoryChange['kind'], BilingualText> = {
    member: { fr: 'membre', en: 'member' },
    group: { fr: 'groupe', en: 'group' },
  };
  return changes
    .map(
      (change) =>
        `${change.at}  ${change.by}  ${actions[change.action][lang]} ${kinds[change.kind][lang]} ${change.key}`,
    )
    .join('\n');
}
