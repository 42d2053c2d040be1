import type { Figure, Figures, ReportFigures, ReportPeriod } from './compute';
import type { IndicatorId } from './indicators';

export const REPORT_CASES_PATH = '/api/audit/reports/service-statement/cases';
/** References per page of a drill-down, unless asked otherwise, and the most a page may hold. */
export const CASES_PAGE_SIZE = 100;
export const MAX_CASES_PAGE_SIZE = 500;

/** Which figure: an indicator of the period, in total or for a category, a channel, or both. */
export interface FigureSelector {
  readonly indicator: IndicatorId;
  readonly category?: string;
  readonly channel?: string;
}

/** The address that lists the cases of one figure (`GET …/service-statement/cases`), optionally a page. */
export function casesHref(
  period: ReportPeriod,
  figure: FigureSelector,
  paging: { readonly page?: number; readonly pageSize?: number } = {},
): string {
  const params = new URLSearchParams({ from: period.from, to: period.to, indicator: figure.indicator });
  if (figure.category !== undefined) params.set('category', figure.category);
  if (figure.channel !== undefined) params.set('channel', figure.channel);
  if (paging.page !== undefined) params.set('page', String(paging.page));
  if (paging.pageSize !== undefined && paging.pageSize !== CASES_PAGE_SIZE) {
    params.set('pageSize', String(paging.pageSize));
  }
  return `${REPORT_CASES_PATH}?${params}`;
}

/** The figures with, in each `cases`, the address that lists them (`casesHref`) by their scope. */
export function withCaseLinks<Cases extends object>(
  figures: ReportFigures<Cases>,
  period: ReportPeriod,
): ReportFigures<Cases & { readonly href: string }> {
  return mapFigureCases(figures, (cases, figure) => ({ ...cases, href: casesHref(period, figure) }));
}

/**
 * The figures with each `cases` replaced by `map(cases, figure)`, where `figure` names the indicator and the
 * scope (category, channel, both, or neither for the total) of that figure.
 */
export function mapFigureCases<Cases, Mapped>(
  figures: ReportFigures<Cases>,
  map: (cases: Cases, figure: FigureSelector) => Mapped,
): ReportFigures<Mapped> {
  const link = (of: Figures<Cases>, scope: { category?: string; channel?: string }) =>
    Object.fromEntries(
      Object.entries(of).map(([id, figure]: [string, Figure<Cases>]) => [
        id,
        { ...figure, cases: map(figure.cases, { indicator: id as IndicatorId, ...scope }) },
      ]),
    ) as Figures<Mapped>;
  const each = <V, W>(record: Record<string, V>, to: (id: string, value: V) => W) =>
    Object.fromEntries(Object.entries(record).map(([id, value]) => [id, to(id, value)]));
  return {
    ...figures,
    total: link(figures.total, {}),
    byCategory: each(figures.byCategory, (category, of) => link(of, { category })),
    byChannel: each(figures.byChannel, (channel, of) => link(of, { channel })),
    byCategoryChannel: each(figures.byCategoryChannel, (category, channels) =>
      each(channels, (channel, of) => link(of, { category, channel })),
    ),
  };
}
