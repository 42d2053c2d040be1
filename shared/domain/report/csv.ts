import type { Language } from '../case/requester';
import type { Policy } from '../policy/schema';
import type { FigureCases, Figure, Figures } from './compute';
import { INDICATOR_IDS, INDICATORS } from './indicators';
import type { ServiceStatementReport } from './service-statement';

const BOM = '\uFEFF';

/**
 * French: `;` between fields and a decimal comma; English: `,` and a decimal point. Excel takes the field
 * separator and the decimal mark from the Windows regional settings: in French (Canada) the decimal mark is the
 * comma, so the list separator is `;`, and a file opened by double-click splits on `;` and reads `93,5` as a
 * number; in English (Canada) it splits on `,` and reads `93.5`. A `sep=` first line would force the
 * separator but makes Excel ignore the byte-order mark (accents garbled), so none is written.
 */
export const CSV_FORMATS: Record<Language, { separator: string; decimal: string }> = {
  fr: { separator: ';', decimal: ',' },
  en: { separator: ',', decimal: '.' },
};

const HEADERS: Record<Language, string[]> = {
  fr: [
    'Portée',
    'Code de la portée',
    'Libellé de la portée',
    'Code de l’indicateur',
    'Indicateur',
    'Nombre',
    'Dénominateur',
    'Pourcentage',
    'Moyenne',
    'Médiane',
    '90e centile',
    'Maximum',
    'Prolongations',
    'Dossiers confidentiels non listés',
  ],
  en: [
    'Scope',
    'Scope code',
    'Scope name',
    'Indicator code',
    'Indicator',
    'Count',
    'Denominator',
    'Percentage',
    'Mean',
    'Median',
    '90th percentile',
    'Maximum',
    'Extensions',
    'Confidential cases not listed',
  ],
};

const SCOPE_WORDS = {
  total: { fr: 'Total', en: 'Total' },
  category: { fr: 'Catégorie', en: 'Category' },
  channel: { fr: 'Canal', en: 'Channel' },
  'category-channel': { fr: 'Catégorie × canal', en: 'Category × channel' },
} as const;

const CHANNEL_NAMES: Record<string, { fr: string; en: string }> = {
  web: { fr: 'Formulaire Web', en: 'Web form' },
  email: { fr: 'Courriel', en: 'Email' },
  mail: { fr: 'Courrier', en: 'Mail' },
  phone: { fr: 'Téléphone', en: 'Phone' },
  'in-person': { fr: 'En personne', en: 'In person' },
};

/**
 * The report as CSV (RFC 4180: CRLF line ends, fields quoted when they hold the separator, a quote or a line
 * break): UTF-8 with a byte-order mark, a header row in the language asked, then one row per scope (total,
 * each category, each channel, each category × channel pair that has cases: code `category/channel`, name
 * « category — channel ») and indicator. Numbers have no thousands separator; percentages one decimal;
 * an empty cell is a figure that does not apply or has no value (a median of no case). No case references:
 * as in the JSON, a figure's are listed by the drill-down (`cases.href`), a page at a time; the last column
 * counts the confidential cases it does not list to this reader.
 */
export function reportToCsv(
  report: ServiceStatementReport,
  policy: Pick<Policy, 'categories'>,
  language: Language,
): string {
  const { separator, decimal } = CSV_FORMATS[language];
  const number = (value: number | null | undefined) =>
    value === null || value === undefined ? '' : String(value).replace('.', decimal);
  const rows: string[][] = [HEADERS[language]];
  const addScope = (
    kind: keyof typeof SCOPE_WORDS,
    code: string,
    name: string,
    figures: Figures<FigureCases>,
  ) => {
    for (const id of INDICATOR_IDS) {
      const figure: Figure<FigureCases> = figures[id];
      rows.push([
        SCOPE_WORDS[kind][language],
        code,
        name,
        id,
        INDICATORS[id][language],
        number(figure.count),
        number(figure.denominator),
        figure.percent === null || figure.percent === undefined
          ? ''
          : figure.percent.toFixed(1).replace('.', decimal),
        number(figure.mean),
        number(figure.median),
        number(figure.p90),
        number(figure.max),
        number(figure.total),
        number(figure.cases.withheld),
      ]);
    }
  };
  addScope('total', 'total', SCOPE_WORDS.total[language], report.total);
  const categoryName = (id: string) => policy.categories.find((c) => c.id === id)?.name[language] ?? id;
  const channelName = (id: string) => CHANNEL_NAMES[id]?.[language] ?? id;
  for (const [id, figures] of Object.entries(report.byCategory)) {
    addScope('category', id, categoryName(id), figures);
  }
  for (const [id, figures] of Object.entries(report.byChannel)) {
    addScope('channel', id, channelName(id), figures);
  }
  for (const [category, channels] of Object.entries(report.byCategoryChannel)) {
    for (const [channel, figures] of Object.entries(channels)) {
      const name = `${categoryName(category)} — ${channelName(channel)}`;
      addScope('category-channel', `${category}/${channel}`, name, figures);
    }
  }
  return (
    BOM + rows.map((row) => row.map((field) => quote(field, separator)).join(separator)).join('\r\n') + '\r\n'
  );
}

function quote(field: string, separator: string): string {
  if (field.includes(separator) || /["\r\n]/.test(field)) return `"${field.replaceAll('"', '""')}"`;
  return field;
}
