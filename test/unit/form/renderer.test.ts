import { readFileSync } from 'node:fs';
import path from 'node:path';

import { loadSctPolicy } from '../../../shared/domain/policy';
import {
  CITIZEN_PAGES,
  CITIZEN_STRINGS,
  renderCitizenSite,
  renderConfirmationPage,
  renderFormPage,
} from '../../../web/citizen';
import type { PageLanguage } from '../../../web/citizen';
import { plainText, tagsOf, textOutside } from './html-query';

const policy = loadSctPolicy();
const CONTROLS = ['input', 'select', 'textarea'];

function controlsOf(html: string) {
  return tagsOf(html).filter((tag) => CONTROLS.includes(tag.name));
}

function idsOf(html: string): string[] {
  return tagsOf(html)
    .map((tag) => tag.attributes['id'])
    .filter((id): id is string => id !== undefined);
}

const ERRORS = [
  { field: 'category', message: 'Choisissez le type de demande.' },
  { field: 'name', message: 'Indiquez votre nom.' },
  { field: 'email', message: 'Indiquez une adresse courriel valide, par exemple nom@exemple.com.' },
  { field: 'attestation', message: 'Pour recevoir nos réponses en anglais, cochez la case d’attestation.' },
  { field: '', message: 'Votre demande est trop longue.' },
];

describe('renderFormPage', () => {
  it.each(['fr', 'en'] as const)(
    '%s: the browser never refuses an address RFC 5322 allows (HTML’s own email check refuses quoted local parts)',
    (language) => {
      const tags = tagsOf(renderFormPage({ language, policy }));
      expect(tags.find((tag) => tag.name === 'form')?.attributes).toHaveProperty('novalidate');
      const email = tags.find((tag) => tag.name === 'input' && tag.attributes['name'] === 'email');
      expect(email?.attributes).not.toHaveProperty('pattern');
      // The value a failed submission shows again is written as given, quotes escaped.
      const shown = renderFormPage({ language, policy, values: { email: '"lea roy"@example.org' } });
      expect(shown).toContain('value="&quot;lea roy&quot;@example.org"');
    },
  );

  it.each(['fr', 'en'] as const)(
    '%s: every control has exactly one label, and ids are unique',
    (language) => {
      const html = renderFormPage({ language, policy });
      const labels = tagsOf(html, 'label').map((tag) => tag.attributes['for']);
      const controls = controlsOf(html);

      expect(controls.length).toBeGreaterThanOrEqual(12);
      for (const control of controls) {
        expect(labels.filter((target) => target === control.attributes['id'])).toHaveLength(1);
      }
      const ids = idsOf(html);
      expect(new Set(ids).size).toBe(ids.length);
      // Radio groups are fieldsets with a legend (the question).
      expect(tagsOf(html, 'fieldset')).toHaveLength(tagsOf(html, 'legend').length);
    },
  );

  it('offers the web categories with their descriptions as a radio group, and the eight fields with autocomplete', () => {
    const html = renderFormPage({ language: 'fr', policy });
    const radios = tagsOf(html, 'input').filter((tag) => tag.attributes['name'] === 'category');
    expect(radios.map((radio) => radio.attributes['value'])).toEqual(policy.categories.map((c) => c.id));
    for (const radio of radios) {
      const hint = radio.attributes['aria-describedby'] ?? '';
      expect(idsOf(html)).toContain(hint);
    }
    expect(html).toContain(policy.categories[0]?.description.fr);
    const autocomplete = Object.fromEntries(
      controlsOf(html).map((tag) => [tag.attributes['name'], tag.attributes['autocomplete']]),
    );
    expect(autocomplete).toMatchObject({
      name: 'name',
      email: 'email',
      phone: 'tel',
      organization: 'organization',
    });
    expect(tagsOf(html, 'input').find((tag) => tag.attributes['name'] === 'email')?.attributes['type']).toBe(
      'email',
    );
  });

  it('marks required and optional fields in words, not by colour', () => {
    const html = renderFormPage({ language: 'fr', policy });
    expect(html).toMatch(/Nom et prénom <span class="marker">\(obligatoire\)<\/span><\/label>/);
    expect(html).toMatch(/Téléphone <span class="marker">\(facultatif\)<\/span><\/label>/);
    const required = controlsOf(html)
      .filter((tag) => 'required' in tag.attributes)
      .map((tag) => tag.attributes['name']);
    expect(new Set(required)).toEqual(
      new Set(['category', 'subject', 'message', 'name', 'email', 'language']),
    );
  });

  it('works without JavaScript: a plain URL-encoded POST to /api/requests with the page language', () => {
    const fr = tagsOf(renderFormPage({ language: 'fr', policy }), 'form')[0];
    const en = tagsOf(renderFormPage({ language: 'en', policy }), 'form')[0];
    expect(fr?.attributes).toMatchObject({ method: 'post', action: '/api/requests?lang=fr' });
    expect(fr?.attributes).not.toHaveProperty('enctype');
    expect(en?.attributes['action']).toBe('/api/requests?lang=en');
  });

  it('hides the trap field from people: off-screen, out of the tab order, no autofill, labelled to stay empty', () => {
    const html = renderFormPage({ language: 'fr', policy });
    const trap = tagsOf(html, 'input').find((tag) => tag.attributes['name'] === 'website');
    expect(trap?.attributes).toMatchObject({ tabindex: '-1', autocomplete: 'off', type: 'text' });
    expect(html).toMatch(
      /<div class="trap" data-field="website" aria-hidden="true">\n<label for="field-website">Laissez ce champ vide<\/label>/,
    );
  });

  it('with errors: a focusable summary linking to each field, and each field invalid and described by its error', () => {
    const html = renderFormPage({
      language: 'fr',
      policy,
      errors: ERRORS,
      values: { language: 'en', name: '' },
    });
    const ids = new Set(idsOf(html));

    const summary = tagsOf(html, 'div').find((tag) => tag.attributes['class'] === 'error-summary');
    expect(summary?.attributes).toMatchObject({ role: 'alert', tabindex: '-1', autofocus: '' });
    expect(html).toContain('Le formulaire contient 5 erreurs');
    const links = tagsOf(html, 'a')
      .map((tag) => tag.attributes['href'] ?? '')
      .filter((href) => href.startsWith('#field-'));
    expect(links).toEqual([
      '#field-category-statistics',
      '#field-name',
      '#field-email',
      '#field-attestation',
    ]);
    for (const link of links) expect(ids).toContain(link.slice(1));
    expect(html).toContain('<li>Votre demande est trop longue.</li>');

    for (const field of ['name', 'email', 'attestation']) {
      const control = controlsOf(html).find((tag) => tag.attributes['name'] === field);
      expect(control?.attributes['aria-invalid']).toBe('true');
      expect(control?.attributes['aria-describedby']?.split(' ')).toContain(`error-${field}`);
      expect(ids).toContain(`error-${field}`);
    }
    const radios = controlsOf(html).filter((tag) => tag.attributes['name'] === 'category');
    expect(radios.every((radio) => radio.attributes['aria-invalid'] === 'true')).toBe(true);
    expect(html).toMatch(/<title>Erreur\u00a0: /);
  });

  it('gives the values back escaped, with the choices still made', () => {
    const html = renderFormPage({
      language: 'en',
      policy,
      values: {
        category: 'media',
        name: '"><script>alert(1)</script>',
        message: '</textarea><img src=x onerror=alert(1)>',
        language: 'en',
        languageBasis: 'outside-quebec',
        attestation: 'yes',
      },
    });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    const checked = tagsOf(html, 'input').filter((tag) => 'checked' in tag.attributes);
    expect(checked.map((tag) => `${tag.attributes['name']}=${tag.attributes['value']}`)).toEqual([
      'category=media',
      'language=en',
      'attestation=yes',
    ]);
    expect(html).toContain('<option value="outside-quebec" selected>');
  });

  it('has the language on the document, a link to the other language, no inline script or style, zoomable', () => {
    for (const language of ['fr', 'en'] as const) {
      const html = renderFormPage({ language, policy });
      const other = language === 'fr' ? 'en' : 'fr';
      expect(html).toContain(`<html lang="${language}">`);
      const switcher = tagsOf(html, 'a').find((tag) => tag.attributes['class'] === 'language-link');
      expect(switcher?.attributes).toMatchObject({
        lang: other,
        hreflang: other,
        href: other === 'en' ? '/en/' : '/',
      });
      expect(tagsOf(html, 'script').every((tag) => tag.attributes['src'] === '/form.js')).toBe(true);
      expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/);
      expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    }
  });

  it('embeds the confirmation template form.js fills, with every variant marked', () => {
    const html = renderFormPage({ language: 'fr', policy });
    const template = /<template id="confirmation-template">([\s\S]*)<\/template>/.exec(html)?.[1] ?? '';
    expect(template).toContain('data-slot="reference"');
    expect(template).toContain('data-slot="acknowledgement-when"');
    expect(template).toMatch(/data-if="ack"[\s\S]*data-if="no-ack"[\s\S]*data-if="confidential"/);
  });
});

describe('both languages are complete', () => {
  const FRENCH = [
    'obligatoire',
    'facultatif',
    'Envoyer',
    'Adresse courriel',
    'Votre message',
    'Objet',
    'Type de demande',
    'Langue de correspondance',
    'Laissez ce champ vide',
    'J’atteste',
    'Passer au contenu',
    'Erreur',
    'Statistiques',
    'Plainte',
    'Conservez',
    'accusé de réception',
    'Envoi en cours',
  ];
  const ENGLISH = [
    'required',
    'optional',
    'Send my request',
    'Email address',
    'Your message',
    'Subject',
    'Type of request',
    'Language of correspondence',
    'Leave this field empty',
    'I attest',
    'Skip to main',
    'Error',
    'Statistics',
    'Complaint',
    'Keep this number',
    'acknowledgement',
    'Sending',
  ];

  function pages(language: PageLanguage): string[] {
    return [
      renderFormPage({ language, policy }),
      renderFormPage({ language, policy, errors: [{ field: 'name', message: 'x' }] }),
      renderConfirmationPage({
        language,
        reference: 'SCT-2027-000001',
        category: 'statistics',
        acknowledgementDueDate: '2027-01-11',
        policy,
      }),
    ];
  }

  it('the English pages hold no French interface text (outside what is marked lang="fr")', () => {
    for (const html of pages('en')) {
      const text = textOutside(html, 'fr');
      for (const french of FRENCH)
        expect({ french, found: text.includes(french) }).toEqual({ french, found: false });
    }
  });

  it('the French pages hold no English interface text (outside what is marked lang="en")', () => {
    for (const html of pages('fr')) {
      const text = textOutside(html, 'en');
      for (const english of ENGLISH)
        expect({ english, found: text.includes(english) }).toEqual({ english, found: false });
    }
  });

  it('every string is translated (only proper names are the same in both languages)', () => {
    const same = Object.entries(CITIZEN_STRINGS.fr)
      .filter(
        ([key, value]) =>
          typeof value === 'string' &&
          value === (CITIZEN_STRINGS.en as unknown as Record<string, unknown>)[key],
      )
      .map(([key]) => key);
    expect(same).toEqual(['footer']);
    for (const [basis, text] of Object.entries(CITIZEN_STRINGS.fr.languageBases)) {
      expect(
        CITIZEN_STRINGS.en.languageBases[basis as keyof typeof CITIZEN_STRINGS.en.languageBases],
      ).not.toBe(text);
    }
  });
});

describe('renderConfirmationPage', () => {
  it('gives the reference and the acknowledgement commitment with its date, in French', () => {
    const html = renderConfirmationPage({
      language: 'fr',
      reference: 'SCT-2027-000001',
      category: 'statistics',
      acknowledgementDueDate: '2027-01-11',
      acknowledgementDueAt: '2027-01-12T04:59:59.999Z',
      policy,
    });
    const text = plainText(html);
    expect(text).toContain('SCT-2027-000001');
    expect(text).toContain('Vous recevrez un accusé de réception au plus tard le lundi 11 janvier 2027.');
    expect(text).toContain('418 644-4767');
    expect(text).not.toContain('confidentielle');
  });

  it('in English, with the time for a deadline inside the day, and the confidentiality of complaints', () => {
    const html = renderConfirmationPage({
      language: 'en',
      reference: 'SCT-2026-000042',
      category: 'service-complaint',
      acknowledgementDueDate: '2026-12-18',
      acknowledgementDueAt: '2026-12-18T19:00:00.000Z',
      confidential: true,
      policy,
    });
    expect(html).toContain(
      'no later than <strong><span data-slot="acknowledgement-when">Friday, December 18, 2026 at 2:00 p.m.</span></strong>',
    );
    expect(html).toContain('handled confidentially');
  });

  it('without an acknowledgement commitment, says the answer comes within the published delays', () => {
    const html = renderConfirmationPage({
      language: 'fr',
      reference: 'SCT-2027-000002',
      category: 'statistics',
      acknowledgementDueDate: null,
      policy,
    });
    expect(html).toContain('Nous vous répondrons dans les délais prévus');
    expect(html).not.toContain('au plus tard le');
  });
});

describe('the confirmation page: whom to contact', () => {
  /** The text from the « Pour nous joindre » / "How to reach us" heading to the end. */
  function contactSection(html: string, language: PageLanguage): string {
    const text = plainText(html);
    return text.slice(text.indexOf(CITIZEN_STRINGS[language].contactTitle));
  }

  it.each([
    ['fr', 'Secrétariat du Conseil du trésor – Statistiques', 'Pour formuler une plainte sur nos services'],
    [
      'en',
      'Secrétariat du Conseil du trésor – Workforce and procurement statistics',
      'To complain about our services',
    ],
  ] as const)(
    '%s: a request gives its unit for questions and the complaints officer only to complain',
    (language, unit, complain) => {
      const section = contactSection(
        renderConfirmationPage({
          language,
          reference: 'SCT-2027-000001',
          acknowledgementDueDate: '2027-01-11',
          category: 'statistics',
          policy,
        }),
        language,
      );
      const [questions = '', complaints = ''] = section.split(complain);

      expect(questions).toContain(unit);
      expect(questions).toContain('statistiques@sct.gouv.qc.ca');
      expect(questions).not.toContain('responsable-plaintes@sct.gouv.qc.ca');
      expect(questions).not.toContain('418 644-4767');
      expect(complaints).toContain(language === 'fr' ? 'Responsable des plaintes' : 'Complaints officer');
      expect(complaints).toContain('responsable-plaintes@sct.gouv.qc.ca');
    },
  );

  it.each(['fr', 'en'] as const)('%s: a complaint or a comment gives the complaints officer', (language) => {
    for (const category of ['service-complaint', 'comment', 'supplier-complaint']) {
      const section = contactSection(
        renderConfirmationPage({
          language,
          reference: 'SCT-2027-000003',
          acknowledgementDueDate: '2027-01-11',
          category,
          confidential: category !== 'supplier-complaint',
          policy,
        }),
        language,
      );

      expect(section).toContain(language === 'fr' ? 'Responsable des plaintes' : 'Complaints officer');
      expect(section).toContain('418 644-4767');
      expect(section).toContain('responsable-plaintes@sct.gouv.qc.ca');
      expect(section).not.toMatch(/statistiques@|renseignements@|medias@|marches-publics@/);
      expect(section).not.toContain(language === 'fr' ? 'Pour formuler une plainte' : 'To complain about');
    }
  });

  it('the form page carries one contact variant per category for form.js, each marked with its category', () => {
    const html = renderFormPage({ language: 'fr', policy });
    const template = html.slice(html.indexOf('<template id="confirmation-template"'));
    const conditions = tagsOf(template)
      .map((tag) => tag.attributes['data-if'])
      .filter((condition): condition is string => condition?.startsWith('contact-') ?? false);

    expect([...new Set(conditions)].sort()).toEqual(
      policy.categories
        .filter((category) => category.channels.includes('web'))
        .map((category) => `contact-${category.id}`)
        .sort(),
    );
    const statistics = template.slice(template.indexOf('data-if="contact-statistics"'));
    expect(statistics.slice(0, statistics.indexOf('</p>'))).toContain('statistiques@sct.gouv.qc.ca');
  });
});

describe('renderCitizenSite', () => {
  it('renders the four addresses of the form (French at / and /demande, English at /en/ and /en/request) and the service statement', () => {
    const site = renderCitizenSite(policy);
    expect(site.map((page) => [page.path, page.objectKey, page.language])).toEqual(
      CITIZEN_PAGES.map((page) => [page.path, page.objectKey, page.language]),
    );
    expect(site.map((page) => page.path)).toEqual([
      '/',
      '/demande',
      '/en/',
      '/en/request',
      '/declaration-de-services',
      '/en/service-statement',
    ]);
    for (const page of site) expect(page.html).toContain(`<html lang="${page.language}">`);
  });
});

describe('citizen.css', () => {
  const css = readFileSync(path.join(__dirname, '../../../web/static/citizen.css'), 'utf8');
  const variable = (name: string) => new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(css)?.[1] ?? '';

  function luminance(hex: string): number {
    const channels = [1, 3, 5].map((offset) => parseInt(hex.slice(offset, offset + 2), 16) / 255);
    const [r = 0, g = 0, b = 0] = channels.map((c) =>
      c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
    );
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  const contrast = (a: string, b: string) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
  };

  it('keeps text and links at 4.5:1 or more on white (and white on the blue header), borders at 3:1', () => {
    for (const name of ['text', 'blue', 'blue-dark', 'muted', 'error']) {
      expect({ name, ok: contrast(variable(name), '#ffffff') >= 4.5 }).toEqual({ name, ok: true });
    }
    expect(variable('blue').toLowerCase()).toBe('#095797');
    expect(contrast(variable('border'), '#ffffff')).toBeGreaterThanOrEqual(3);
  });

  it('sizes the layout in relative units (reflows at 320 px and 200 % zoom) and shows focus', () => {
    const widths = [...css.matchAll(/(?:^|[\s;{])((?:min-|max-)?width):\s*([^;]+);/g)].map(
      (match) => match[2] ?? '',
    );
    for (const width of widths) expect(width).toMatch(/^(?:\d+(?:\.\d+)?(?:rem|em|%)|1px|0|auto)$/);
    expect(css).toContain(':focus-visible');
    // Only <main>, focused by the skip link, has no ring (it is not a control).
    const withoutRing = [...css.matchAll(/([^{}]+)\{[^}]*outline:\s*(?:none|0)\s*;/g)].map((match) =>
      match[1]?.trim(),
    );
    expect(withoutRing).toEqual(['main:focus']);
  });
});
