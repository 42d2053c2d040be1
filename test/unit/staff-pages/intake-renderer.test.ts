import { EVIDENCE_KINDS_BY_CHANNEL } from '../../../shared/domain/case/commands/intake';
import { HOLDING_KINDS } from '../../../shared/domain/intake/email/holding-pen';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { StaffIntakeBodySchema } from '../../../shared/schemas/staff-api';
import { renderStaffPage, STAFF_SITE_OBJECTS, staffPageAt } from '../../../web/staff';
import type { StaffPageKind } from '../../../web/staff';
import { INTAKE_SCRIPT_TEXT_KEYS, INTAKE_STRINGS } from '../../../web/staff/intake-strings';
import { tagsOf } from '../form/html-query';

const policy = loadSctPolicy();
const LANGUAGES = ['fr', 'en'] as const;
const PAGES: readonly [StaffPageKind, string, string][] = [
  ['intake', '/staff/intake', '/intake.js'],
  ['holding', '/staff/holding', '/holding.js'],
];

function render(kind: StaffPageKind, language: 'fr' | 'en'): string {
  const pathname = `${language === 'en' ? '/en' : ''}/staff/${kind}`;
  return renderStaffPage({ kind, language, pathname, policy });
}

/** The value at a dotted path of an object, if any. */
function at(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
}

describe('the intake and holding-pen addresses', () => {
  it.each([
    ['/staff/intake', 'intake', 'fr'],
    ['/en/staff/intake/', 'intake', 'en'],
    ['/staff/holding', 'holding', 'fr'],
    ['/en/staff/holding', 'holding', 'en'],
  ])('%s is the %s shell in %s', (path, kind, language) => {
    expect(staffPageAt(path)).toEqual({ kind, language });
  });

  it('are deployed as a folder page per language', () => {
    const keys = STAFF_SITE_OBJECTS.filter((object) => ['intake', 'holding'].includes(object.kind)).map(
      (object) => [object.path, object.objectKey],
    );

    expect(keys).toEqual([
      ['/staff/intake', 'staff/intake/index.html'],
      ['/staff/holding', 'staff/holding/index.html'],
      ['/en/staff/intake', 'en/staff/intake/index.html'],
      ['/en/staff/holding', 'en/staff/holding/index.html'],
    ]);
  });
});

describe.each(LANGUAGES)('the intake and holding-pen shells (%s)', (language) => {
  it.each(PAGES)(
    '%s: its language, its own script, its title, and every label and description tied',
    (kind, _path, script) => {
      const html = render(kind, language);
      const ids = tagsOf(html).flatMap((tag) => (tag.attributes['id'] ? [tag.attributes['id']] : []));
      const title =
        kind === 'intake' ? INTAKE_STRINGS[language].intakeTitle : INTAKE_STRINGS[language].holdingTitle;

      expect(html).toContain(`<html lang="${language}">`);
      expect(html).toContain(`data-page="${kind}"`);
      expect(tagsOf(html, 'script').map((tag) => tag.attributes['src'])).toEqual([script]);
      expect(html).toContain(`<title>${title} – Jalon</title>`);
      expect(new Set(ids).size).toBe(ids.length);
      for (const label of tagsOf(html, 'label')) expect(ids).toContain(label.attributes['for']);
      for (const tag of tagsOf(html)) {
        for (const id of (tag.attributes['aria-describedby'] ?? '').split(' ').filter(Boolean)) {
          expect(ids).toContain(id);
        }
      }
    },
  );

  it('gives the scripts their words in the page’s language', () => {
    const html = render('holding', language);

    for (const key of INTAKE_SCRIPT_TEXT_KEYS) expect(html).toContain(`<data value="${key}">`);
    expect(html).toContain(
      `<data value="holding.kind.spam">${INTAKE_STRINGS[language].script['holding.kind.spam']}</data>`,
    );
  });

  it('links both pages from the header of every signed-in page', () => {
    const prefix = language === 'en' ? '/en' : '';
    for (const kind of ['work-list', 'case', 'audit', 'intake', 'holding'] as const) {
      const html = renderStaffPage({ kind, language, pathname: `${prefix}/staff/`, policy });
      const links = tagsOf(html, 'a').map((tag) => tag.attributes['href']);
      expect([kind, links]).toEqual([
        kind,
        expect.arrayContaining([`${prefix}/staff/intake`, `${prefix}/staff/holding`]),
      ]);
    }
  });

  it('intake: fields named by the API’s paths, every one of them reachable in a full body the API accepts', () => {
    const html = render('intake', language);
    const fields = tagsOf(html)
      .flatMap((tag) => (tag.attributes['data-field'] ? [tag.attributes['data-field']] : []))
      .filter((name) => name !== 'contact');
    const full = StaffIntakeBodySchema.parse({
      channel: 'mail',
      category: 'statistics',
      requester: {
        name: 'A',
        language: 'en',
        languageBasis: {
          basis: 'immigrant-first-six-months',
          attestedOn: '2026-12-01',
          arrivedOn: '2026-09-01',
        },
        email: 'a@example.com',
        postalAddress: {
          lines: ['1 rue A'],
          municipality: 'Québec',
          province: 'QC',
          postalCode: 'G1A 1A1',
          country: 'CA',
        },
        phone: '418 555-0100',
      },
      subject: 'S',
      body: 'B',
      receivedAt: '2026-12-18T09:30:00-05:00',
      evidence: { kind: 'postmark', reference: 'r', note: 'n' },
      confirmLateEntry: true,
    });

    expect(fields.length).toBeGreaterThan(15);
    for (const name of fields) expect([name, at(full, name) !== undefined]).toEqual([name, true]);
  });

  it('intake: each category and proof says the channels it fits, from the policy and the intake rules', () => {
    const options = tagsOf(render('intake', language), 'option');
    const channelsOf = (value: string) =>
      options.find((option) => option.attributes['value'] === value && 'data-channels' in option.attributes)
        ?.attributes['data-channels'];

    for (const category of policy.categories) {
      expect(channelsOf(category.id)?.split(' ').sort()).toEqual(
        category.channels.filter((channel) => channel !== 'web').sort(),
      );
    }
    expect(channelsOf('postmark')).toBe('mail');
    expect(channelsOf('call-time')).toBe('phone');
    expect(channelsOf('other')?.split(' ')).toEqual(Object.keys(EVIDENCE_KINDS_BY_CHANNEL));
    // The usual proof of each channel, preselected when the channel is chosen.
    const usual = Object.fromEntries(
      options.flatMap((option) =>
        (option.attributes['data-default-for'] ?? '')
          .split(' ')
          .filter(Boolean)
          .map((channel) => [channel, option.attributes['value']]),
      ),
    );
    expect(usual).toEqual({
      mail: 'postmark',
      phone: 'call-time',
      'in-person': 'visit-time',
      email: 'other',
    });
  });

  it('holding: a filter for every reason for holding, open items first, oldest first', () => {
    const html = render('holding', language);
    const kindSelect = html.slice(html.indexOf('id="holding-kind"'));
    const kindOptions = tagsOf(kindSelect.slice(0, kindSelect.indexOf('</select>')), 'option')
      .map((option) => option.attributes['value'])
      .filter((value): value is string => (HOLDING_KINDS as readonly string[]).includes(value ?? ''));

    expect(kindOptions).toEqual([...HOLDING_KINDS]);
    expect(html).toMatch(/<option value="open" selected>/);
    expect(html).toMatch(/<option value="oldest" selected>/);
    expect(html).toContain('data-held-action="attach"');
    expect(html).toContain('data-held-action="register"');
    expect(html).toContain('data-held-action="dismiss"');
  });
});
