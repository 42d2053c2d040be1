import {
  InvalidTemplateValueError,
  MissingTemplateValueError,
  TEMPLATES,
  TEMPLATE_AUDIENCE,
  TEMPLATE_PLACEHOLDERS,
  TemplateNotFoundError,
  TemplateRenderError,
  UnknownPlaceholderError,
  escapeHtml,
  placeholdersOf,
  renderMessage,
  renderTemplate,
} from '../../../shared/templates';
import type { Language, TemplateId, TemplateRequest, TemplateSet } from '../../../shared/templates';
import { referralFor } from '../../../shared/domain/messaging/referral';
import { getCategory, loadSctPolicy } from '../../../shared/domain/policy';
import { CONTACT_FR, REFERENCE, SAMPLE_VALUES } from './sample-values';

const LANGUAGES: readonly Language[] = ['fr', 'en'];
const IDS = Object.keys(TEMPLATE_PLACEHOLDERS) as TemplateId[];
const CASES = IDS.flatMap((id) => LANGUAGES.map((language) => [id, language] as const));
const CITIZEN_IDS = IDS.filter((id) => TEMPLATE_AUDIENCE[id] === 'citizen');

const sorted = (names: Iterable<string>): string[] => [...names].sort();
/** Renders a template with its sample values; the id is only known at run time in the tables below. */
const renderSample = (id: TemplateId, language: Language) =>
  renderMessage({ template: id, language, values: SAMPLE_VALUES[id] } as TemplateRequest);

describe('template sources', () => {
  it.each(LANGUAGES)('%s has exactly the catalogue ids', (language) => {
    expect(sorted(Object.keys(TEMPLATES[language]))).toEqual(sorted(IDS));
  });

  it.each(CASES)('%s (%s) has a subject, a text and an HTML body', (id, language) => {
    const source = TEMPLATES[language][id];

    expect(source).toBeDefined();
    expect(source.subject.trim()).not.toBe('');
    expect(source.text.trim()).not.toBe('');
    expect(source.html.trim()).not.toBe('');
  });

  it.each(CASES)(
    '%s (%s) uses exactly the catalogue placeholders in its text and its HTML',
    (id, language) => {
      const source = TEMPLATES[language][id];
      const expected = sorted(TEMPLATE_PLACEHOLDERS[id]);

      expect(sorted(placeholdersOf(source.text))).toEqual(expected);
      expect(sorted(placeholdersOf(source.html))).toEqual(expected);
      expect(sorted(placeholdersOf(`${source.subject}\n${source.text}\n${source.html}`))).toEqual(expected);
    },
  );

  it.each(CASES)('%s (%s) keeps its subject on one line', (id, language) => {
    expect(TEMPLATES[language][id].subject).not.toMatch(/[\r\n]/);
  });

  it('citizen messages take no placeholder that could carry the body of the request', () => {
    for (const id of CITIZEN_IDS) {
      for (const name of TEMPLATE_PLACEHOLDERS[id])
        expect(['body', 'description', 'message']).not.toContain(name);
    }
  });

  it('automatic citizen messages repeat nothing the sender wrote (no name, subject or text)', () => {
    const automatic: readonly TemplateId[] = [
      'automatic-receipt',
      'automatic-acknowledgement',
      'delay-notice',
      'attachment-refused',
    ];
    for (const id of automatic) {
      for (const name of TEMPLATE_PLACEHOLDERS[id])
        expect({ id, name }).not.toEqual({
          id,
          name: expect.stringMatching(/^(requesterName|subject|answer|reason)$/),
        });
    }
  });

  it('the ops alert takes identifiers only, no personal data', () => {
    expect(sorted(TEMPLATE_PLACEHOLDERS['ops-alert'])).toEqual(['at', 'caseId', 'errorName', 'step']);
  });

  it('placeholdersOf finds names once each, trimmed', () => {
    expect(placeholdersOf('{{a}} {{ b }} {{a}} {b}')).toEqual(['a', 'b']);
  });
});

describe('renderTemplate', () => {
  it.each(CASES)('%s (%s) renders every value and leaves no placeholder', (id, language) => {
    const values = SAMPLE_VALUES[id] as Record<string, string>;

    const message = renderSample(id, language);

    expect(`${message.subject}${message.text}${message.html}`).not.toContain('{{');
    for (const value of Object.values(values)) {
      const lines = value.split('\n').filter((line) => line.trim() !== '');
      for (const line of lines) expect(message.text).toContain(line);
    }
    expect(message.text.endsWith('\n')).toBe(true);
  });

  it.each(CASES)(
    '%s (%s) is a plain HTML page in its language, with no external resource',
    (id, language) => {
      const { html, subject } = renderSample(id, language);

      expect(html.startsWith('<!DOCTYPE html>\n<html lang="' + language + '">')).toBe(true);
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).toContain(`<title>${escapeHtml(subject)}</title>`);
      expect(html).not.toMatch(/<(?:img|script|link|iframe|style|object|embed)\b/i);
      expect(html).not.toMatch(/\bsrc=|url\(|@import/i);
      for (const [, href] of html.matchAll(/href="([^"]*)"/g))
        expect(href).toMatch(/^(?:https:|mailto:|tel:)/);
    },
  );

  it('escapes every value in HTML and keeps it raw in the text', () => {
    const hostile = `<script>alert("x")</script> & 'q'`;

    const message = renderTemplate('acknowledgement', 'fr', {
      ...SAMPLE_VALUES.acknowledgement,
      subject: hostile,
    });

    expect(message.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
    expect(message.html).not.toContain('<script>');
    expect(message.text).toContain(hostile);
  });

  it('turns line breaks in a value into <br> in HTML', () => {
    const { html } = renderTemplate('acknowledgement', 'fr', SAMPLE_VALUES.acknowledgement);

    expect(html).toContain(
      '<p>Responsable des plaintes<br>Secrétariat du Conseil du trésor<br>875, Grande Allée Est',
    );
  });

  it('normalizes CR LF in values and removes other control characters from the bodies', () => {
    const { text, html } = renderTemplate('acknowledgement', 'en', {
      ...SAMPLE_VALUES.acknowledgement,
      contact: 'Line one\r\nLine two\u0000\u0007',
    });

    expect(text).toContain('Line one\nLine two\n');
    expect(text).not.toMatch(/[\r\u0000\u0007]/);
    expect(html).toContain('Line one<br>Line two</p>');
  });

  it('neutralizes CR/LF injection in the subject', () => {
    const injected = 'Statistiques\r\nBcc: intrus@example.com\n\tX-Evil: 1';

    const { subject } = renderTemplate('task-notification', 'fr', {
      ...SAMPLE_VALUES['task-notification'],
      categoryName: injected,
    });

    expect(subject).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
    expect(subject).toBe(`Nouveau dossier ${REFERENCE} – Statistiques Bcc: intrus@example.com X-Evil: 1`);
  });

  it('inserts values once: a value that looks like a placeholder stays literal', () => {
    const { text } = renderTemplate('answer-cover', 'fr', {
      ...SAMPLE_VALUES['answer-cover'],
      answer: 'Voir {{contact}} et {{inconnu}}.',
    });

    expect(text).toContain('Voir {{contact}} et {{inconnu}}.');
  });

  it('throws a named error for a missing value, naming the placeholder but not the values', () => {
    const values: Partial<typeof SAMPLE_VALUES.acknowledgement> = { ...SAMPLE_VALUES.acknowledgement };
    delete values.answerByDate;

    const render = () =>
      renderTemplate('acknowledgement', 'fr', values as typeof SAMPLE_VALUES.acknowledgement);

    expect(render).toThrow(MissingTemplateValueError);
    try {
      render();
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateRenderError);
      expect(error).toMatchObject({
        name: 'MissingTemplateValueError',
        code: 'TEMPLATE_VALUE_MISSING',
        transient: false,
        details: { template: 'acknowledgement', language: 'fr', placeholder: 'answerByDate', blank: false },
      });
      expect(JSON.stringify(error)).not.toContain('Tremblay');
    }
  });

  it('throws for a blank value where the paragraph is not optional', () => {
    expect(() =>
      renderTemplate('acknowledgement', 'fr', { ...SAMPLE_VALUES.acknowledgement, reference: '  \n ' }),
    ).toThrow(
      expect.objectContaining({
        name: 'MissingTemplateValueError',
        details: expect.objectContaining({ blank: true }),
      }),
    );
  });

  it('throws for a value the template does not take', () => {
    const values = { ...SAMPLE_VALUES['delay-notice'], body: 'Le texte de la demande' };

    expect(() => renderTemplate('delay-notice', 'fr', values)).toThrow(UnknownPlaceholderError);
  });

  it('throws for a non-string value', () => {
    const values = { ...SAMPLE_VALUES.reminder, businessDaysLeft: 2 as unknown as string };

    expect(() => renderTemplate('reminder', 'fr', values)).toThrow(InvalidTemplateValueError);
  });

  it('throws when a template uses a placeholder its catalogue entry does not list', () => {
    const original = TEMPLATES.fr;
    const broken: TemplateSet = {
      ...original,
      'ops-alert': { ...original['ops-alert'], text: 'Dossier {{caseId}} de {{requesterName}}' },
    };
    (TEMPLATES as { fr: TemplateSet }).fr = broken;
    try {
      expect(() => renderTemplate('ops-alert', 'fr', SAMPLE_VALUES['ops-alert'])).toThrow(
        expect.objectContaining({
          name: 'UnknownPlaceholderError',
          details: expect.objectContaining({ placeholder: 'requesterName', in: 'template' }),
        }),
      );
    } finally {
      (TEMPLATES as { fr: TemplateSet }).fr = original;
    }
  });

  it('refuses a case link that is not an http(s) URL', () => {
    expect(() =>
      renderTemplate('reminder', 'fr', { ...SAMPLE_VALUES.reminder, caseUrl: 'javascript:alert(1)' }),
    ).toThrow(InvalidTemplateValueError);
  });

  it('throws a named error for a language that has no templates', () => {
    expect(() => renderTemplate('delay-notice', 'de' as Language, SAMPLE_VALUES['delay-notice'])).toThrow(
      TemplateNotFoundError,
    );
  });

  it('renderMessage renders the same as renderTemplate', () => {
    expect(renderMessage({ template: 'reminder', language: 'en', values: SAMPLE_VALUES.reminder })).toEqual(
      renderTemplate('reminder', 'en', SAMPLE_VALUES.reminder),
    );
  });
});

describe('message content', () => {
  it.each([
    ['acknowledgement', 'fr'],
    ['acknowledgement', 'en'],
    ['automatic-acknowledgement', 'fr'],
    ['automatic-acknowledgement', 'en'],
  ] as const)('the %s (%s) states the reference, the promised answer date and a contact', (id, language) => {
    const { subject, text, html } = renderSample(id, language);

    expect(subject).toContain(REFERENCE);
    for (const body of [text, html]) {
      expect(body).toContain(REFERENCE);
      expect(body).toContain('31 mars 2026');
      expect(body).toContain('responsable-plaintes@sct.gouv.qc.ca');
      expect(body).toContain('418 644-4767');
    }
    expect(text).toContain(CONTACT_FR);
  });

  it.each([
    [
      'fr',
      'ne constitue pas l’accusé de réception officiel',
      'Un accusé de réception vous sera transmis au plus tard le 17 mars 2026',
    ],
    [
      'en',
      'It is not the official acknowledgement',
      'An acknowledgement will be sent to you no later than 17 mars 2026',
    ],
  ] as const)(
    'the automatic receipt (%s) says it is not the acknowledgement and when that will come',
    (language, notAck, willCome) => {
      const { text, html } = renderTemplate(
        'automatic-receipt',
        language,
        SAMPLE_VALUES['automatic-receipt'],
      );

      expect(text).toContain(notAck);
      expect(text).toContain(willCome);
      expect(text).toContain(REFERENCE);
      expect(html).toContain(notAck);
    },
  );

  it.each(LANGUAGES)(
    'the Protecteur du citoyen referral (%s) prints the values it is given, with the reference',
    (language) => {
      const values = {
        reference: REFERENCE,
        referralText: 'Texte de recours (donnée de politique).',
        office: 'Bureau fictif\nTéléphone : 1 800 000-0000',
      };
      const { text, html } = renderTemplate('protecteur-referral', language, values);

      for (const body of [text, html]) {
        expect(body).toContain('Texte de recours (donnée de politique).');
        expect(body).toContain('1 800 000-0000');
        expect(body).toContain(REFERENCE);
      }
      expect(`${text}${html}`).not.toContain('463-5070');
    },
  );

  it.each(LANGUAGES)('the AMP referral (%s) points to amp.quebec and gives no phone number', (language) => {
    const { text, html } = renderTemplate('amp-referral', language, { reference: REFERENCE });

    expect(text).toContain('Autorité des marchés publics');
    expect(text).toContain('amp.quebec');
    expect(html).toContain('href="https://amp.quebec"');
    expect(`${text}${html}`).not.toMatch(/\d{3}[ -]\d{3}-\d{4}/);
  });

  it.each(LANGUAGES)('the answer cover (%s) carries the referral paragraph', (language) => {
    const policy = loadSctPolicy();
    const referral = referralFor(policy, getCategory(policy, 'service-complaint'), language, REFERENCE);

    const { text, html } = renderTemplate('answer-cover', language, {
      ...SAMPLE_VALUES['answer-cover'],
      referral,
    });

    expect(text).toContain(referral);
    expect(text).toContain('1 800 463-5070');
    expect(html).toContain('1 800 463-5070');
    expect(text).toContain('Voici les données demandées.\n\nElles sont aussi publiées sur notre site Web.');
  });

  it.each(LANGUAGES)('the answer cover (%s) leaves out an empty referral without a gap', (language) => {
    const { text, html } = renderTemplate('answer-cover', language, {
      ...SAMPLE_VALUES['answer-cover'],
      referral: '',
    });

    expect(text).not.toMatch(/\n\s*\n\s*\n/);
    expect(html).not.toMatch(/<p>\s*<\/p>/);
    expect(text).toContain('publiées sur notre site Web.\n\n');
  });

  it('referralFor gives the AMP and the Protecteur du citoyen, the Protecteur du citoyen, or nothing', () => {
    const policy = loadSctPolicy();
    const of = (id: string, language: Language) =>
      referralFor(policy, getCategory(policy, id), language, REFERENCE);
    expect(of('statistics', 'fr')).toBe('');
    expect(of('supplier-complaint', 'fr')).toContain('amp.quebec');
    expect(of('supplier-complaint', 'fr')).toContain('1 800 463-5070');
    expect(of('service-complaint', 'en')).toContain('1 800 463-5070');
    expect(of('service-complaint', 'en')).not.toContain('amp.quebec');
  });

  it.each(['task-notification', 'reminder', 'escalation'] as const)(
    'the staff message %s links to the case',
    (id) => {
      const { text, html } = renderSample(id, 'fr');

      expect(text).toContain('https://jalon.example.gouv.qc.ca/dossiers/0b8f5c1e');
      expect(html).toContain('href="https://jalon.example.gouv.qc.ca/dossiers/0b8f5c1e"');
      expect(text).toContain(REFERENCE);
      expect(text.length).toBeLessThan(600);
    },
  );
});
