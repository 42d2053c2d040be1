import {
  AcknowledgeBodySchema,
  AnswerBodySchema,
  CloseBodySchema,
  DissatisfiedBodySchema,
  ExtendBodySchema,
  NoteBodySchema,
  ReassignBodySchema,
  RecategorizeBodySchema,
  RequesterReachedBodySchema,
  RestartEnforcementBodySchema,
} from '../../../shared/schemas/staff-api';
import { RoleSchema } from '../../../shared/domain/identity/identity';
import { loadSctPolicy } from '../../../shared/domain/policy';
import {
  renderStaffPage,
  SCRIPT_TEXT_KEYS,
  STAFF_STRINGS,
  staffPageAt,
  staffPathIn,
  staffSite,
} from '../../../web/staff';
import type { StaffPageKind } from '../../../web/staff';
import { tagsOf } from '../form/html-query';

const policy = loadSctPolicy();
const KINDS: readonly [StaffPageKind, string][] = [
  ['login', '/staff/login'],
  ['work-list', '/staff/'],
  ['case', '/staff/cases/case-0001'],
  ['audit', '/audit/'],
];

function render(kind: StaffPageKind, language: 'fr' | 'en', pathname: string): string {
  return renderStaffPage({ kind, language, pathname, policy });
}

describe('staff site addresses', () => {
  it.each([
    ['/staff/login', { kind: 'login', language: 'fr' }],
    ['/staff', { kind: 'work-list', language: 'fr' }],
    ['/staff/', { kind: 'work-list', language: 'fr' }],
    ['/staff/cases/abc-123', { kind: 'case', language: 'fr', caseId: 'abc-123' }],
    ['/audit/', { kind: 'audit', language: 'fr' }],
    ['/audit/cases/abc-123', { kind: 'audit', language: 'fr', caseId: 'abc-123' }],
    ['/en/staff/login', { kind: 'login', language: 'en' }],
    ['/en/staff/cases/abc-123/', { kind: 'case', language: 'en', caseId: 'abc-123' }],
    ['/en/audit/', { kind: 'audit', language: 'en' }],
  ])('%s shows %o', (pathname, expected) => {
    expect(staffPageAt(pathname)).toEqual(expected);
  });

  it.each(['/', '/en/', '/staffx', '/staff/cases/', '/staff/cases/a/b', '/audit/ledger', '/fr/staff/'])(
    '%s is not a staff page',
    (pathname) => {
      expect(staffPageAt(pathname)).toBeUndefined();
    },
  );

  it('switches language on the same page, keeping the case id', () => {
    expect(staffPathIn('/staff/cases/abc', 'en')).toBe('/en/staff/cases/abc');
    expect(staffPathIn('/en/audit/cases/abc', 'fr')).toBe('/audit/cases/abc');
    expect(render('case', 'fr', '/staff/cases/abc')).toContain(
      'href="/en/staff/cases/abc" hreflang="en" lang="en"',
    );
  });

  it('serves a shell for staff paths only, the same one for every case', () => {
    const site = staffSite(policy);

    expect(site('/')).toBeUndefined();
    expect(site('/staff/cases/one')?.replace(/cases\/one/g, '')).toBe(
      site('/staff/cases/two')?.replace(/cases\/two/g, ''),
    );
  });
});

describe.each(['fr', 'en'] as const)('staff shells in %s', (language) => {
  const prefix = language === 'en' ? '/en' : '';

  it.each(KINDS)('%s: lang, title, its script and stylesheet, nothing inline', (kind, path) => {
    const html = render(kind, language, `${prefix}${path}`);

    expect(html).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${language}">`));
    expect(html).toMatch(/<title>[^<]+ – Jalon<\/title>/);
    const scripts = tagsOf(html, 'script');
    expect(scripts.map((tag) => tag.attributes['src'])).toEqual([
      kind === 'audit' ? '/audit.js' : '/staff.js',
    ]);
    expect(scripts[0]?.attributes['type']).toBe('module');
    expect(
      tagsOf(html, 'link').find((tag) => tag.attributes['rel'] === 'stylesheet')?.attributes['href'],
    ).toBe('/staff.css');
    expect(html).not.toMatch(/<style|\sstyle="|\son[a-z]+="/i);
    expect(tagsOf(html, 'body')[0]?.attributes).toMatchObject({
      'data-page': kind,
      'data-language': language,
    });
  });

  it.each(KINDS)('%s: one h1, a skip link to main, live regions for status and errors', (kind, path) => {
    const html = render(kind, language, `${prefix}${path}`);

    expect(tagsOf(html, 'h1')).toHaveLength(1);
    expect(html).toContain('<a class="skip-link" href="#main">');
    expect(tagsOf(html, 'main')[0]?.attributes['id']).toBe('main');
    expect(html).toMatch(/id="page-status"[^>]*role="status"[^>]*aria-live="polite"/);
    expect(html).toMatch(/id="page-alert"[^>]*role="alert"/);
  });

  it.each(KINDS)('%s: every control has a label, every id is unique', (kind, path) => {
    const html = render(kind, language, `${prefix}${path}`);
    const ids = tagsOf(html)
      .map((tag) => tag.attributes['id'])
      .filter((id): id is string => id !== undefined);
    const labelled = new Set(tagsOf(html, 'label').map((tag) => tag.attributes['for']));
    const controls = [...tagsOf(html, 'input'), ...tagsOf(html, 'select'), ...tagsOf(html, 'textarea')];

    expect(new Set(ids).size).toBe(ids.length);
    expect(controls.length).toBeGreaterThan(0);
    for (const control of controls) expect(labelled).toContain(control.attributes['id']);
    for (const tag of tagsOf(html)) {
      for (const described of (tag.attributes['aria-describedby'] ?? '').split(' ').filter(Boolean))
        expect(ids).toContain(described);
    }
  });

  it('gives the scripts every word they use, and the category names, in the page language', () => {
    const html = render('work-list', language, `${prefix}/staff/`);
    const keys = tagsOf(html, 'data').map((tag) => tag.attributes['value']);

    expect(keys).toEqual(expect.arrayContaining([...SCRIPT_TEXT_KEYS]));
    for (const category of policy.categories) {
      expect(html).toContain(`<data value="category.${category.id}">${category.name[language]}</data>`);
    }
  });

  it('login: a demo role to choose for each role, and the Cognito notice', () => {
    const html = render('login', language, `${prefix}/staff/login`);
    const radios = tagsOf(html, 'input').filter((tag) => tag.attributes['name'] === 'role');

    expect(radios.map((tag) => tag.attributes['value'])).toEqual(RoleSchema.options);
    expect(html).toContain('Cognito');
    expect(html).toContain(STAFF_STRINGS[language].loginCognito.replace(/’/g, '&#39;').slice(0, 10));
  });

  it('work list: a table with a caption and column headers', () => {
    const html = render('work-list', language, `${prefix}/staff/`);

    expect(html).toMatch(/<table id="case-table" class="stacked">\n<caption id="case-table-caption">/);
    expect(tagsOf(html, 'th').every((tag) => tag.attributes['scope'] === 'col')).toBe(true);
    expect(tagsOf(html, 'th')).toHaveLength(9);
  });

  it('work list: requester, received and assignment columns; reference, deadlines and receipt sortable', () => {
    const html = render('work-list', language, `${prefix}/staff/`);
    const text = STAFF_STRINGS[language];

    for (const key of ['requester', 'received', 'assignment', 'deadlines'] as const) {
      expect(html).toContain(text.columns[key]);
    }
    const sortable = tagsOf(html, 'th').filter((tag) => tag.attributes['data-sort-column'] !== undefined);
    expect(sortable.map((tag) => tag.attributes['data-sort-column'])).toEqual([
      'reference',
      'deadline',
      'received',
    ]);
    const buttons = tagsOf(html, 'button').filter((tag) => tag.attributes['data-sort'] !== undefined);
    expect(buttons.map((tag) => tag.attributes['type'])).toEqual(['button', 'button', 'button']);
  });

  it('gives the scripts the unit names of the policy, not only its ids', () => {
    const html = render('work-list', language, `${prefix}/staff/`);

    expect(html).toContain(
      language === 'fr'
        ? '<data value="unit.statistics">Statistiques sur l’effectif et les acquisitions</data>'
        : '<data value="unit.statistics">Workforce and procurement statistics</data>',
    );
    expect(html).toMatch(/<data value="unit.supplier-complaints">[^<]+<\/data>/);
    expect(html).not.toContain('<data value="unit.supplier-complaints">supplier-complaints</data>');
  });

  it('case: the request before the deadlines, the actions, the notes and the history; secondary actions folded', () => {
    const html = render('case', language, `${prefix}/staff/cases/x`);
    const at = (id: string) => html.indexOf(`id="${id}"`);

    expect(at('case-key-facts')).toBeLessThan(at('content-section'));
    expect(at('content-section')).toBeLessThan(at('case-deadlines'));
    expect(at('case-deadlines')).toBeLessThan(at('actions-section'));
    expect(at('actions-section')).toBeLessThan(at('notes-section'));
    expect(at('notes-section')).toBeLessThan(at('history-table'));
    const more = html.indexOf('id="more-actions"');
    expect(html.indexOf('data-action="answer"')).toBeLessThan(more);
    for (const action of ['extend', 'reassign', 'recategorize', 'close', 'dissatisfied']) {
      expect(html.indexOf(`data-action="${action}"`)).toBeGreaterThan(more);
    }
    expect(html).toContain(`<summary>${STAFF_STRINGS[language].moreActions}</summary>`);
    expect(tagsOf(html, 'button').some((tag) => tag.attributes['id'] === 'assign-to-me')).toBe(true);
  });

  it('case: the reassignment form names units and does not offer « assigned to oneself »', () => {
    const html = render('case', language, `${prefix}/staff/cases/x`);
    const form = html.slice(
      html.indexOf('data-action="reassign"'),
      html.indexOf('data-action="recategorize"'),
    );

    expect(form).toContain('<option value="statistics">');
    expect(form).not.toContain('<option value="statistics">statistics</option>');
    expect(form).not.toContain('value="self-assigned"');
  });

  it('case: one form per action, whose fields are the fields of its body schema', () => {
    const html = render('case', language, `${prefix}/staff/cases/x`);
    const schemas = {
      acknowledge: AcknowledgeBodySchema,
      answer: AnswerBodySchema,
      extend: ExtendBodySchema,
      reassign: ReassignBodySchema,
      recategorize: RecategorizeBodySchema,
      close: CloseBodySchema,
      dissatisfied: DissatisfiedBodySchema,
      'restart-enforcement': RestartEnforcementBodySchema,
      note: NoteBodySchema,
      'requester-reached': RequesterReachedBodySchema,
    };
    // Fields a form leaves out on purpose: « requester reached » settles every undelivered email of the case.
    const notOnPage: Partial<Record<keyof typeof schemas, string[]>> = {
      'requester-reached': ['messageIds'],
    };
    // The header's search form is not an action form.
    const forms = tagsOf(html, 'form').filter((form) => form.attributes['data-action'] !== undefined);
    const fields = tagsOf(html).filter((tag) => tag.attributes['data-field'] !== undefined);

    // Grouped on the page (the answer's steps first, the rest under « more actions »): every action once.
    expect(forms.map((form) => form.attributes['data-action']).sort()).toEqual(Object.keys(schemas).sort());
    forms.forEach((form, index) => {
      const end = forms[index + 1]?.index ?? html.length;
      const names = fields
        .filter((tag) => tag.index > form.index && tag.index < end)
        .map((tag) => tag.attributes['data-field']?.split('.')[0]);
      const action = form.attributes['data-action'] as keyof typeof schemas;
      const expected = Object.keys(schemas[action].shape).filter(
        (name) => !notOnPage[action]?.includes(name),
      );
      expect(new Set(names)).toEqual(new Set(expected));
    });
  });
});

describe.each(['fr', 'en'] as const)('case page in %s: notes and answer templates', (language) => {
  const prefix = language === 'en' ? '/en' : '';
  const text = STAFF_STRINGS[language];

  it('has an internal-notes section with its list and a form to add one', () => {
    const html = render('case', language, `${prefix}/staff/cases/x`);
    const section = tagsOf(html, 'section').find((tag) => tag.attributes['id'] === 'notes-section');

    expect(section?.attributes['aria-labelledby']).toBe('notes-title');
    expect(html).toContain(`<h2 id="notes-title">${text.notesTitle}</h2>`);
    expect(tagsOf(html, 'ol').map((tag) => tag.attributes['id'])).toContain('case-notes');
    const textarea = tagsOf(html, 'textarea').find((tag) => tag.attributes['name'] === 'text');
    expect(textarea?.attributes).toMatchObject({ id: 'note-text', maxlength: '5000' });
    expect(html.indexOf('id="notes-section"')).toBeLessThan(html.indexOf('data-action="note"'));
  });

  it('offers « start from a template » in the answer form, labelled, not sent with the answer', () => {
    const html = render('case', language, `${prefix}/staff/cases/x`);
    const choice = tagsOf(html, 'select').find((tag) => tag.attributes['id'] === 'answer-template');

    expect(choice).toBeDefined();
    expect(choice?.attributes['name']).toBeUndefined();
    expect(html).toContain(`<label for="answer-template">${text.answerTemplate}</label>`);
    const answerForm = tagsOf(html, 'form').find((tag) => tag.attributes['data-action'] === 'answer');
    const extendForm = tagsOf(html, 'form').find((tag) => tag.attributes['data-action'] === 'extend');
    expect(choice!.index).toBeGreaterThan(answerForm!.index);
    expect(choice!.index).toBeLessThan(extendForm!.index);
  });
});

describe('staff strings', () => {
  it('has every sentence in both languages, and different ones', () => {
    const flat = (value: unknown, path = ''): [string, string][] =>
      typeof value === 'string'
        ? [[path, value]]
        : Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) =>
            flat(inner, `${path}.${key}`),
          );
    const fr = new Map(flat(STAFF_STRINGS.fr));
    const en = new Map(flat(STAFF_STRINGS.en));

    expect([...fr.keys()]).toEqual([...en.keys()]);
    for (const [key, value] of fr) {
      expect(value.trim()).not.toBe('');
      expect(en.get(key)?.trim()).not.toBe('');
    }
    const same = [...fr].filter(([key, value]) => en.get(key) === value).map(([key]) => key);
    // Words spelled alike in both languages, and one pattern without words.
    expect(same.sort()).toEqual([
      '.actionsTitle',
      '.columns.actions',
      '.dissatisfiedNote',
      '.reassignReasons.absence',
      '.roles.agent',
      '.script.due',
      '.script.field.body',
      '.userNavLabel',
    ]);
  });
});
