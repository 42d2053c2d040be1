import { WHAT_IF_SCRIPT_TEXT_KEYS, WHAT_IF_STRINGS } from '../../../web/staff/what-if-strings';

/** The exports of `web/static/dashboard-what-if.js` (a browser module, through jest's transform). */
interface WhatIfScript {
  whatIfBody(
    period: { from: string; to: string },
    values: Record<string, string>,
  ): { body?: unknown; issues?: { path: string; key: string; values?: Record<string, string> }[] };
  fieldOfIssue(path: string): string;
  calendarChoices(
    answer: unknown,
    t: (key: string, values?: Record<string, string>) => string,
    language: string,
  ): string[][];
  comparisonRows(result: unknown, category: string, t: (key: string) => string, language: string): string[][];
}

const script = jest.requireActual<WhatIfScript>('../../../web/static/dashboard-what-if.js');
const PERIOD = { from: '2026-03-01', to: '2026-03-31' };

describe('the dashboard what-if form', () => {
  it('sends one category with the delays given, whole business days from 1 to 100', () => {
    expect(
      script.whatIfBody(PERIOD, { category: 'statistics', acknowledgementDays: '5', answerDays: '' }),
    ).toEqual({
      body: { ...PERIOD, changes: { statistics: { acknowledgementDays: 5 } } },
    });
    expect(
      script.whatIfBody(PERIOD, { category: '', acknowledgementDays: '0', answerDays: '2.5' }).issues,
    ).toEqual([
      { path: 'category', key: 'whatIf.categoryRequired' },
      { path: 'acknowledgementDays', key: 'whatIf.daysInvalid' },
      { path: 'answerDays', key: 'whatIf.daysInvalid' },
    ]);
    expect(
      script.whatIfBody(PERIOD, { category: 'media', acknowledgementDays: '', answerDays: '' }).issues,
    ).toEqual([{ path: 'acknowledgementDays', key: 'whatIf.nothingChanged' }]);
  });

  it('sends the automatic acknowledgement and the calendar version chosen, alone or with a delay', () => {
    expect(
      script.whatIfBody(PERIOD, {
        category: 'statistics',
        acknowledgementDays: '',
        answerDays: '',
        automaticAcknowledgement: 'false',
        calendar: '',
      }),
    ).toEqual({ body: { ...PERIOD, changes: { statistics: { automaticAcknowledgement: false } } } });
    expect(
      script.whatIfBody(PERIOD, {
        category: 'statistics',
        acknowledgementDays: '',
        answerDays: '30',
        automaticAcknowledgement: 'true',
        calendar: 'qc-loi-interpretation@2026.1',
      }),
    ).toEqual({
      body: {
        ...PERIOD,
        changes: {
          statistics: {
            answerDays: 30,
            automaticAcknowledgement: true,
            calendar: { id: 'qc-loi-interpretation', version: '2026.1' },
          },
        },
      },
    });
    // Empty choices keep the policy's: nothing changed.
    expect(
      script.whatIfBody(PERIOD, {
        category: 'statistics',
        acknowledgementDays: '',
        answerDays: '',
        automaticAcknowledgement: '',
        calendar: '',
      }).issues,
    ).toEqual([{ path: 'acknowledgementDays', key: 'whatIf.nothingChanged' }]);
  });

  it('sends the closed days typed one a line (or pasted with commas), in order and once, on the calendar chosen', () => {
    expect(
      script.whatIfBody(PERIOD, {
        category: 'statistics',
        addClosures: ' 2026-03-17\r\n\n2026-03-16, 2026-03-17;\n',
      }),
    ).toEqual({
      body: {
        ...PERIOD,
        changes: { statistics: { calendar: { addClosures: ['2026-03-16', '2026-03-17'] } } },
      },
    });
    expect(
      script.whatIfBody(PERIOD, {
        category: 'statistics',
        calendar: 'qc-loi-interpretation@2026.1',
        addClosures: '2026-03-16',
      }),
    ).toEqual({
      body: {
        ...PERIOD,
        changes: {
          statistics: {
            calendar: { id: 'qc-loi-interpretation', version: '2026.1', addClosures: ['2026-03-16'] },
          },
        },
      },
    });
  });

  it('refuses closed days that are not existing dates, naming them, and more than the API’s 60', () => {
    expect(
      script.whatIfBody(PERIOD, {
        category: 'statistics',
        addClosures: '2026-03-16\n2026-02-30\n16 mars 2026',
      }).issues,
    ).toEqual([
      { path: 'addClosures', key: 'whatIf.closuresInvalid', values: { dates: '2026-02-30, 16 mars 2026' } },
    ]);
    const days = Array.from({ length: 61 }, (_, i) =>
      new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
    );
    expect(
      script.whatIfBody(PERIOD, { category: 'statistics', addClosures: days.join('\n') }).issues,
    ).toEqual([{ path: 'addClosures', key: 'whatIf.closuresTooMany' }]);
    expect(
      script.whatIfBody(PERIOD, { category: 'statistics', addClosures: days.slice(1).join('\n') }).body,
    ).toBeDefined();
  });

  it('offers every calendar version the API lists, labelled in the page’s language', () => {
    const answer = {
      calendars: [
        {
          id: 'qc-loi-interpretation',
          name: { fr: 'Loi d’interprétation', en: 'Interpretation Act' },
          versions: [
            { version: '2026.1', effectiveFrom: '2000-01-01' },
            { version: '2027.1', effectiveFrom: '2027-01-01' },
          ],
        },
      ],
    };
    const t = (key: string, values: Record<string, string> = {}) => `${key} ${JSON.stringify(values)}`;

    expect(script.calendarChoices(answer, t, 'en')).toEqual([
      [
        'qc-loi-interpretation@2026.1',
        'whatIf.calendarVersion {"name":"Interpretation Act","version":"2026.1","from":"2000-01-01"}',
      ],
      [
        'qc-loi-interpretation@2027.1',
        'whatIf.calendarVersion {"name":"Interpretation Act","version":"2027.1","from":"2027-01-01"}',
      ],
    ]);
    expect(script.calendarChoices(null, t, 'fr')).toEqual([]);
  });

  it('places the API’s field errors on the form’s fields', () => {
    expect(script.fieldOfIssue('body.changes.statistics.answerDays')).toBe('answerDays');
    expect(script.fieldOfIssue('body.changes.media.automaticAcknowledgement')).toBe(
      'automaticAcknowledgement',
    );
    expect(script.fieldOfIssue('body.changes.statistics.calendar.version')).toBe('calendar');
    expect(script.fieldOfIssue('body.changes.statistics.calendar.addClosures.1')).toBe('addClosures');
    expect(script.fieldOfIssue('body.changes.statistics.calendar.addClosures')).toBe('addClosures');
    expect(script.fieldOfIssue('body.changes.inconnue')).toBe('category');
    expect(script.fieldOfIssue('body.from')).toBe('body.from');
  });

  it('compares the category’s figures, shares with their counts', () => {
    const figures = (onTime: number, assessed: number) => ({
      received: { count: 4 },
      'ack-on-time': { count: onTime, denominator: assessed, percent: (onTime / assessed) * 100 },
    });
    const result = {
      reality: { total: {}, byCategory: { statistics: figures(4, 4) } },
      changed: { total: {}, byCategory: { statistics: figures(1, 4) } },
    };

    const rows = script.comparisonRows(result, 'statistics', (key) => key, 'en');

    expect(rows[0]).toEqual(['whatIf.row.received', '4', '4']);
    expect(rows[1]).toEqual(['whatIf.row.ackOnTime', '100.0% (4/4)', '25.0% (1/4)']);
    expect(rows[2]).toEqual(['whatIf.row.ackAutomatic', '0', '0']);
  });

  it('has every text in French and English', () => {
    for (const language of ['fr', 'en'] as const) {
      for (const key of WHAT_IF_SCRIPT_TEXT_KEYS) expect(WHAT_IF_STRINGS[language].script[key]).toMatch(/\S/);
    }
  });
});
