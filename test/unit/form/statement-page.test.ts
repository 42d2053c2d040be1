import { loadSctPolicy } from '../../../shared/domain/policy';
import {
  CITIZEN_PAGES,
  STATEMENT_PAGE,
  renderCitizenSite,
  renderConfirmationPage,
  renderFormPage,
  renderStatementPage,
} from '../../../web/citizen';

const policy = loadSctPolicy();

describe('the service statement page', () => {
  it('is part of the citizen site, in French and in English, at its own addresses', () => {
    expect(STATEMENT_PAGE).toEqual({ fr: '/declaration-de-services', en: '/en/service-statement' });
    const pages = renderCitizenSite(policy).filter(
      (page) => page.path in { '/declaration-de-services': 1, '/en/service-statement': 1 },
    );
    expect(pages.map((page) => [page.path, page.objectKey, page.language])).toEqual([
      ['/declaration-de-services', 'declaration-de-services/index.html', 'fr'],
      ['/en/service-statement', 'en/service-statement/index.html', 'en'],
    ]);
    expect(CITIZEN_PAGES.map((page) => page.path)).toContain('/en/service-statement');
    expect(pages[0]?.html).toBe(renderStatementPage({ language: 'fr', policy }));
  });

  it.each(['fr', 'en'] as const)(
    '(%s) is accessible markup: lang, skip link, one h1, headings in order',
    (language) => {
      const html = renderStatementPage({ language, policy });
      expect(html).toContain(`<html lang="${language}">`);
      expect(html).toContain('<a class="skip-link" href="#main">');
      expect(html).toContain('<main id="main" tabindex="-1">');
      expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
      const levels = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
      for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
      const other = language === 'fr' ? 'en' : 'fr';
      expect(html).toContain(`href="${STATEMENT_PAGE[other]}" hreflang="${other}" lang="${other}"`);
    },
  );

  it.each(['fr', 'en'] as const)(
    '(%s) lists the services and their commitments from the policy',
    (language) => {
      const html = renderStatementPage({ language, policy });
      for (const id of ['statistics', 'policies', 'media', 'supplier-complaint', 'doing-business']) {
        const category = policy.categories.find((c) => c.id === id)!;
        expect(html).toContain(category.name[language].replace(/’/g, '’'));
      }
      expect(html).toContain(language === 'fr' ? '10 jours ouvrables' : '10 business days');
      expect(html).toContain(language === 'fr' ? '15 jours ouvrables' : '15 business days');
    },
  );

  it.each(['fr', 'en'] as const)(
    '(%s) says how to complain: both contact blocks and the complaints policy link',
    (language) => {
      const html = renderStatementPage({ language, policy });
      for (const value of [
        '875, Grande Allée Est, 5e étage, secteur 500',
        '418 644-4767',
        '418 643-9226',
        'responsable-plaintes@sct.gouv.qc.ca',
        '1 800 463-5070',
        '525, boul. René-Lévesque Est',
        'Bureau 1.25',
        'Québec (Québec) G1R 5Y4',
        '1 866 902-7130',
        'protecteur@protecteurducitoyen.qc.ca',
        'href="https://www.protecteurducitoyen.qc.ca"',
        'href="https://www.tresor.gouv.qc.ca"',
        'href="tel:18004635070"',
      ]) {
        expect(html).toContain(value);
      }
      expect(html.match(/<address>/g)).toHaveLength(2);
    },
  );

  it('follows the policy: another Protecteur du citoyen phone in the data is the one the page gives', () => {
    const changed = loadSctPolicy();
    changed.complaintProcedure!.ombudsman.contact.phone = '1 800 000-0000';
    const html = renderStatementPage({ language: 'fr', policy: changed });
    expect(html).toContain('1 800 000-0000');
    expect(html).not.toContain('463-5070');
  });

  it.each(['fr', 'en'] as const)('is linked from the form and the confirmation page (%s)', (language) => {
    const link = `href="${STATEMENT_PAGE[language]}"`;
    expect(renderFormPage({ language, policy })).toContain(link);
    expect(
      renderConfirmationPage({
        language,
        policy,
        reference: 'SCT-2026-000001',
        category: 'statistics',
        acknowledgementDueDate: '2026-03-16',
        acknowledgementDueAt: '2026-03-17T03:59:59.999Z',
      }),
    ).toContain(link);
  });
});
