import { STAFF_STRINGS } from '../../../web/staff';

type Texts = (key: string, values?: Record<string, unknown>) => string;
interface User {
  sub: string;
  roles: string[];
  units: string[];
}
interface Row {
  caseId: string;
  reference?: string;
  status: string;
  unit?: string;
  assignee?: string;
  confidential?: boolean;
}
interface Common {
  createTexts(entries: [string, string][]): Texts;
}
interface Staff {
  listStateFromAddress(search: string): Record<string, unknown>;
  workListAddress(state: Record<string, unknown>, language: string): string;
  columnSort(column: string, state: { sort?: string; order?: string }): string;
  clickedSort(column: string, state: { sort?: string; order?: string }): { sort: string; order: string };
  usesWorkOrder(state: Record<string, unknown>): boolean;
  assigneeOptions(choices: unknown, unit: string): { value: string; label: string }[];
  listCaption(
    state: Record<string, unknown>,
    count: number,
    more: boolean,
    language: string,
    t: Texts,
  ): string;
  canAssignToMe(item: Row, user: User): boolean;
  assignToMeBody(item: Row, user: User): unknown;
  unitText(unit: unknown, t: Texts): string;
  assigneeText(
    assignee: unknown,
    user: User & { name?: string },
    t: Texts,
    names?: Record<string, string>,
  ): string;
  noteByline(
    note: { author: string; authorRole?: string; at: string },
    language: string,
    t: Texts,
    names?: Record<string, string>,
  ): string;
  actorText(
    actor: { kind: string; id?: string; role?: string },
    t: Texts,
    names?: Record<string, string>,
  ): string;
  assignErrorText(status: number, body: unknown, t: Texts): string;
  messageByline(message: unknown, language: string, t: Texts): string;
}

const common = jest.requireActual<Common>('../../../web/static/staff-common.js');
const staff = jest.requireActual<Staff>('../../../web/static/staff.js');
const fr = common.createTexts([
  ...(Object.entries(STAFF_STRINGS.fr.script) as [string, string][]),
  ['unit.statistics', 'Statistiques sur l’effectif et les acquisitions'],
]);
const en = common.createTexts(Object.entries(STAFF_STRINGS.en.script) as [string, string][]);

const AGENT: User = { sub: 'agent-tremblay', roles: ['agent'], units: ['statistics'] };
const OFFICER: User = { sub: 'rp-lavoie', roles: ['complaints-officer'], units: [] };
const AUDITOR: User = { sub: 'aud-bouchard', roles: ['auditor'], units: ['statistics'] };
const ROW: Row = { caseId: 'c1', reference: 'SCT-2026-000001', status: 'received', unit: 'statistics' };

describe('every work-list filter lives in the address', () => {
  it('writes the view, unit, overdue and letters-to-mail filters, defaults left out', () => {
    expect(
      staff.workListAddress(
        {
          view: 'mine',
          unit: 'statistics',
          q: '',
          status: '',
          overdue: true,
          toMail: true,
          sort: 'deadline',
        },
        'fr',
      ),
    ).toBe('/staff/?view=mine&overdue=true&toMail=true');
    expect(
      staff.workListAddress(
        { view: 'unit', unit: 'statistics', status: 'acknowledged', sort: 'received' },
        'en',
      ),
    ).toBe('/en/staff/?unit=statistics&status=acknowledged&sort=received');
  });

  it('reads them back, so a reload, Back or a shared link shows the same list', () => {
    const state = {
      view: 'unit',
      unit: 'statistics',
      q: 'gagne',
      status: 'answered',
      overdue: true,
      toMail: false,
      sort: 'reference',
      order: 'desc',
    };
    const address = staff.workListAddress(state, 'fr');

    expect(staff.listStateFromAddress(address.slice(address.indexOf('?')))).toEqual(state);
    expect(staff.listStateFromAddress('?view=mine&unit=statistics&overdue=yes')).toMatchObject({
      view: 'mine',
      unit: '',
      overdue: false,
    });
  });
});

describe('sorting by a column header', () => {
  it('says which header the list is sorted by, and in which direction (aria-sort)', () => {
    expect(staff.columnSort('deadline', {})).toBe('ascending');
    expect(staff.columnSort('received', { sort: 'received', order: 'desc' })).toBe('descending');
    expect(staff.columnSort('reference', { sort: 'received', order: 'desc' })).toBe('none');
  });

  it('sorts by another column in its natural order, and flips the order of the sorted one', () => {
    expect(staff.clickedSort('received', { sort: 'deadline', order: 'asc' })).toEqual({
      sort: 'received',
      order: 'desc',
    });
    expect(staff.clickedSort('reference', { sort: 'deadline', order: 'asc' })).toEqual({
      sort: 'reference',
      order: 'asc',
    });
    expect(staff.clickedSort('reference', { sort: 'reference', order: 'asc' })).toEqual({
      sort: 'reference',
      order: 'desc',
    });
    expect(staff.clickedSort('deadline', { sort: 'deadline', order: 'desc' })).toEqual({
      sort: 'deadline',
      order: 'asc',
    });
  });
});

describe('the work list’s caption says what is shown and in which sort', () => {
  it('says the default work order: overdue first, then the nearest deadline', () => {
    expect(staff.listCaption({ sort: 'deadline', q: '' }, 12, false, 'fr', fr)).toBe(
      '12 dossiers ouverts, les retards d’abord, puis triés par échéance (la plus proche d’abord)',
    );
    expect(staff.listCaption({ sort: 'deadline', q: '' }, 12, false, 'en', en)).toBe(
      '12 open cases, overdue first, then sorted by deadline (nearest first)',
    );
  });

  it('follows the chosen sort and order, in both languages, with the grammar of the count', () => {
    expect(staff.listCaption({ sort: 'received', order: 'desc' }, 3, false, 'fr', fr)).toBe(
      '3 dossiers ouverts, triés par date de réception (la plus récente d’abord)',
    );
    expect(staff.listCaption({ sort: 'reference', order: 'desc' }, 1, false, 'fr', fr)).toBe(
      '1 dossier ouvert, trié par référence (ordre décroissant)',
    );
    expect(staff.listCaption({ sort: 'deadline', order: 'desc' }, 2, false, 'en', en)).toBe(
      '2 open cases, sorted by deadline (furthest first)',
    );
    expect(staff.listCaption({ sort: 'received', order: 'asc' }, 2, true, 'en', en)).toBe(
      '2 open cases, sorted by date received (oldest first) (more follow)',
    );
  });

  it('names the status filter and the search, and says an empty list is empty', () => {
    expect(staff.listCaption({ status: 'closed', sort: 'reference' }, 4, false, 'fr', fr)).toBe(
      '4 dossiers fermés, triés par référence (ordre croissant)',
    );
    expect(staff.listCaption({ status: 'received', q: 'gagne', sort: 'deadline' }, 2, false, 'en', en)).toBe(
      '2 cases with status “Received” matching “gagne”, sorted by deadline (nearest first)',
    );
    expect(staff.listCaption({ status: 'all', sort: 'deadline' }, 0, false, 'fr', fr)).toBe('Aucun dossier');
  });

  it('keeps the work order only for the default sort without a search', () => {
    expect(staff.usesWorkOrder({ sort: 'deadline', q: '' })).toBe(true);
    expect(staff.usesWorkOrder({ sort: 'deadline', order: 'desc', q: '' })).toBe(false);
    expect(staff.usesWorkOrder({ sort: 'deadline', q: 'roy' })).toBe(false);
    expect(staff.usesWorkOrder({ sort: 'received', q: '' })).toBe(false);
  });
});

describe('« assign to me »', () => {
  it('is offered on an open case of the person’s unit that is not already theirs', () => {
    expect(staff.canAssignToMe(ROW, AGENT)).toBe(true);
    expect(staff.canAssignToMe({ ...ROW, assignee: 'agent-gagnon' }, AGENT)).toBe(true);
    expect(staff.canAssignToMe({ ...ROW, assignee: AGENT.sub }, AGENT)).toBe(false);
    expect(staff.canAssignToMe({ ...ROW, status: 'closed' }, AGENT)).toBe(false);
    expect(staff.canAssignToMe({ ...ROW, unit: 'media-relations' }, AGENT)).toBe(false);
    expect(staff.canAssignToMe({ caseId: 'c2', status: 'received' }, AGENT)).toBe(false);
  });

  it('is never offered to an auditor, nor on a confidential case to anyone but the complaints officer', () => {
    expect(staff.canAssignToMe(ROW, AUDITOR)).toBe(false);
    const complaint = { ...ROW, unit: 'service-complaints', confidential: true };
    expect(staff.canAssignToMe({ ...complaint, unit: 'statistics' }, AGENT)).toBe(false);
    expect(staff.canAssignToMe(complaint, OFFICER)).toBe(true);
  });

  it('asks for the person in the case’s own unit, with the reason self-assigned', () => {
    expect(staff.assignToMeBody(ROW, AGENT)).toEqual({
      to: { unit: 'statistics', assignee: 'agent-tremblay' },
      reason: 'self-assigned',
    });
  });

  it('says a refusal in the page’s words, with the field messages', () => {
    const body = {
      code: 'INVALID_REQUEST',
      detail: 'Requête invalide.',
      errors: [{ field: 'to.assignee', detail: 'n’est pas un membre du personnel connu du répertoire' }],
    };
    expect(staff.assignErrorText(400, body, fr)).toBe(
      'Requête invalide. n’est pas un membre du personnel connu du répertoire',
    );
    expect(staff.assignErrorText(0, null, en)).toBe(STAFF_STRINGS.en.script['error.network']);
  });
});

describe('names, not ids', () => {
  it('names a unit from the page’s words, its id only when the policy has no name for it', () => {
    expect(staff.unitText('statistics', fr)).toBe('Statistiques sur l’effectif et les acquisitions');
    expect(staff.unitText('archives', fr)).toBe('archives');
  });

  it('says who a case is assigned to, « vous » for the reader, « non assigné » when nobody', () => {
    expect(staff.assigneeText(undefined, AGENT, fr)).toBe('Non assigné');
    expect(staff.assigneeText('agent-tremblay', AGENT, fr)).toBe('agent-tremblay (vous)');
    expect(staff.assigneeText('agent-gagnon', AGENT, en)).toBe('agent-gagnon');
  });

  it('shows staff by their directory name, the id when the directory has none', () => {
    const names = { 'agent-tremblay': 'Marie Tremblay', 'sup-gagnon': 'Luc Gagnon' };

    expect(staff.assigneeText('sup-gagnon', AGENT, fr, names)).toBe('Luc Gagnon');
    expect(staff.assigneeText('agent-tremblay', AGENT, fr, names)).toBe('Marie Tremblay (vous)');
    expect(staff.assigneeText('agent-roy', AGENT, en, names)).toBe('agent-roy');
    // The reader's own name comes from their session when the answer has none.
    expect(staff.assigneeText('agent-tremblay', { ...AGENT, name: 'Marie T.' }, en)).toBe('Marie T. (you)');
    expect(
      staff.noteByline(
        { author: 'sup-gagnon', authorRole: 'supervisor', at: '2026-03-04T15:00:00Z' },
        'fr',
        fr,
        names,
      ),
    ).toMatch(/^Par Luc Gagnon \(/);
    expect(staff.actorText({ kind: 'staff', id: 'sup-gagnon', role: 'supervisor' }, en, names)).toMatch(
      /\(Luc Gagnon, /,
    );
    expect(staff.actorText({ kind: 'staff', id: 'agent-roy' }, en, names)).toContain('(agent-roy)');
  });

  it('proposes the people of the chosen unit to hand a case to, by name, the id as the value', () => {
    const choices = [
      { id: 'agent-tremblay', name: 'Marie Tremblay', units: ['statistics'] },
      { id: 'agent-roy', units: ['media-relations', 'statistics'] },
      { id: 'sup-gagnon', name: 'Luc Gagnon', units: ['media-relations'] },
    ];

    expect(staff.assigneeOptions(choices, 'statistics')).toEqual([
      { value: 'agent-tremblay', label: 'Marie Tremblay (agent-tremblay)' },
      { value: 'agent-roy', label: 'agent-roy' },
    ]);
    expect(staff.assigneeOptions(undefined, 'statistics')).toEqual([]);
  });
});

describe('the case page: messages received on the case', () => {
  it('says who sent each one and when, in Québec time', () => {
    const reply = { from: 'requester', fromAddress: 'marie@example.org', receivedAt: '2026-03-04T15:30:00Z' };
    expect(staff.messageByline(reply, 'fr', fr)).toMatch(
      /^Le demandeur \(marie@example\.org\), le 2026-03-04 /,
    );
    expect(staff.messageByline({ from: 'other', receivedAt: '2026-03-04T15:30:00Z' }, 'en', en)).toMatch(
      /^Other sender, on 2026-03-04, 10:30 a\.m\.$/,
    );
  });
});
