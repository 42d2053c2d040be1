import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { formatListing, parseDirectoryFile, StaffCommandError } from '../../../cli/commands/staff';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import { notifiedGroups } from '../../../shared/domain/workflow/recipients';
import { startDynalite, type LocalDynamo } from '../../support/dynalite';

const run = promisify(execFile);
const JALON = path.join(__dirname, '..', '..', '..', 'bin', 'jalon.cjs');

let dynamo: LocalDynamo;
let folder: string;

beforeAll(async () => {
  dynamo = await startDynalite('cli');
  folder = mkdtempSync(path.join(tmpdir(), 'jalon-staff-'));
}, 30_000);

afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  await dynamo.stop();
});

/** `npx jalon staff …` on the test's dynalite: stdout, stderr and the exit code. */
async function jalon(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [JALON, 'staff', '--table', dynamo.tables.staff, '--endpoint', dynamo.endpoint, ...args],
      { timeout: 60_000 },
    );
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

describe('directory files', () => {
  it('names every failing field of a file, in French by default and in English', () => {
    const text = JSON.stringify({
      groups: { operations: [] },
      members: [
        { id: 'sub-1', roles: ['agent'], units: [], email: 'pas-une-adresse' },
        { id: 'sub-1', roles: ['agent'], units: [] },
      ],
    });

    const refusal = (lang: 'fr' | 'en') => {
      try {
        parseDirectoryFile(text, lang);
      } catch (error) {
        return error;
      }
      return undefined;
    };

    expect(refusal('fr')).toBeInstanceOf(StaffCommandError);
    expect((refusal('fr') as StaffCommandError).message.split('\n')).toEqual([
      'Le fichier de l’annuaire contient des champs invalides :',
      expect.stringMatching(/^ {2}groups\.operations: /),
      '  members.0.email: doit être une adresse courriel',
      '  members.1.id: figure deux fois dans le fichier',
    ]);
    expect((refusal('en') as StaffCommandError).message.split('\n')).toEqual([
      'The directory file has invalid fields:',
      expect.stringMatching(/^ {2}groups\.operations: /),
      '  members.0.email: must be an email address',
      '  members.1.id: appears twice in the file',
    ]);
    expect((refusal('en') as StaffCommandError).exitCode).toBe(2);
  });

  it('lists the groups the policy notifies that have no address', () => {
    const text = formatListing({ members: [], groups: [], invalid: [] }, loadSctPolicy(), 'en');
    expect(text).toContain(
      `WARNING — Groups the policy notifies without an address (their notifications reach nobody): ${notifiedGroups(loadSctPolicy()).join(', ')}`,
    );
  });
});

describe('npx jalon staff', () => {
  it('loads a first directory from a file, lists it, edits it and shows who changed what', async () => {
    const file = path.join(folder, 'directory.json');
    const groups = Object.fromEntries(
      notifiedGroups(loadSctPolicy()).map((group) => [group, [`${group}@sct.gouv.qc.ca`]]),
    );
    writeFileSync(
      file,
      JSON.stringify({
        groups,
        members: [{ id: 'sub-marie', roles: ['agent'], units: ['statistics'], name: 'Marie Tremblay' }],
      }),
    );

    const loaded = await jalon('load', file, '--by', 'Luc Admin', '--lang', 'en');
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toBe(
      `Entries created: ${Object.keys(groups).length + 1}, updated: 0, unchanged: 0\n`,
    );

    const refused = await jalon('put', 'sub-jean', '--role', 'agent', '--email', 'jean', '--by', 'Luc Admin');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('email: doit être une adresse courriel');

    expect((await jalon('remove', 'sub-marie')).stderr).toContain('--by <nom> est requis');
    expect(await jalon('remove', 'sub-marie', '--by', 'Ana Gestion')).toMatchObject({
      code: 0,
      stdout: 'removed\n',
    });

    const listed = await jalon('list', '--lang', 'en');
    expect(listed.stdout).toMatch(/^Members: 0\nGroups: 17\n/);
    expect(listed.stdout).not.toContain('WARNING');
    const history = await jalon('history', '--lang', 'en', '--limit', '2');
    expect(history.stdout.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^\S+ {2}Ana Gestion {2}removed member sub-marie$/),
      expect.stringMatching(/^\S+ {2}Luc Admin {2}put member sub-marie$/),
    ]);
  }, 120_000);
});
