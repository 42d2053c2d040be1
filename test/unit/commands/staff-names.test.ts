import { StaticStaffDirectory } from '../../../shared/adapters/config/static-directory';
import { addNote, findCases, getCase } from '../../../shared/domain/case/commands';
import { assigneeChoices } from '../../../shared/domain/case/commands/assignee-choices';
import { staffNamesOf } from '../../../shared/domain/identity/staff-names';
import { AGENT, AUDITOR, CASE_ID, COMPLAINT_ID, SUPERVISOR, harness } from './fixtures';

/** A directory that knows the agent's and the supervisor's names, and an id without a name. */
function namedDirectory(): StaticStaffDirectory {
  return new StaticStaffDirectory({}, [
    { id: 'agent-tremblay', roles: ['agent'], units: ['statistics'], name: 'Marie Tremblay' },
    { id: 'sup-gagnon', roles: ['supervisor'], units: ['statistics'], name: 'Luc Gagnon' },
    { id: 'agent-pelletier', roles: ['agent'], units: ['statistics'] },
  ]);
}

describe('staff display names, not ids', () => {
  it('names the ids the directory has a name for, leaves the others out', async () => {
    const names = await staffNamesOf(namedDirectory(), [
      'agent-tremblay',
      'agent-pelletier',
      'unknown',
      undefined,
      'agent-tremblay',
    ]);

    expect(names).toEqual({ 'agent-tremblay': 'Marie Tremblay' });
    expect(await staffNamesOf(undefined, ['agent-tremblay'])).toEqual({});
  });

  it('the work list gives the names of the assignees it shows', async () => {
    const h = harness();
    await h.seed({ assignee: 'agent-tremblay' });
    const deps = { ...h.deps, directory: namedDirectory() };

    const result = await findCases(deps, AGENT, {});

    expect(result.cases.map((item) => item.assignee)).toEqual(['agent-tremblay']);
    expect(result.staffNames).toEqual({ 'agent-tremblay': 'Marie Tremblay' });
  });

  it('the case page gives the names of the assignee and of the staff in its history (note authors)', async () => {
    const h = harness();
    await h.seed({ assignee: 'agent-tremblay' });
    await addNote(h.deps, SUPERVISOR, { caseId: CASE_ID, text: 'Vu.' });
    const deps = { ...h.deps, directory: namedDirectory() };

    const detail = await getCase(deps, AGENT, CASE_ID);

    expect(detail.staffNames).toEqual({ 'agent-tremblay': 'Marie Tremblay', 'sup-gagnon': 'Luc Gagnon' });
  });

  it('the reassignment picker offers, by name, the people who could handle the case in each unit', async () => {
    const h = harness();
    await h.seed({ assignee: 'agent-tremblay' });
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });
    const directory = new StaticStaffDirectory({}, [
      { id: 'agent-tremblay', roles: ['agent'], units: ['statistics'], name: 'Marie Tremblay' },
      {
        id: 'sup-gagnon',
        roles: ['supervisor'],
        units: ['statistics', 'media-relations'],
        name: 'Luc Gagnon',
      },
      { id: 'rp-lavoie', roles: ['complaints-officer'], units: [], name: 'Anne Lavoie' },
      { id: 'aud-bouchard', roles: ['auditor'], units: ['statistics'], name: 'Paul Bouchard' },
    ]);
    const deps = { ...h.deps, directory };

    const detail = await getCase(deps, AGENT, CASE_ID);
    const complaint = await assigneeChoices(deps, (await h.ledger.getCase(COMPLAINT_ID))!);
    const metadata = await getCase(deps, AUDITOR, CASE_ID);

    expect(detail.assigneeChoices?.map((choice) => choice.id)).toEqual(
      expect.arrayContaining(['agent-tremblay', 'sup-gagnon']),
    );
    expect(detail.assigneeChoices?.find((choice) => choice.id === 'sup-gagnon')).toEqual({
      id: 'sup-gagnon',
      name: 'Luc Gagnon',
      units: ['media-relations', 'statistics'],
    });
    // Never an auditor; a confidential case only to the complaints officer.
    expect(detail.assigneeChoices?.map((choice) => choice.id)).not.toContain('aud-bouchard');
    expect(complaint.map((choice) => choice.id)).toEqual(['rp-lavoie']);
    // A metadata reader gets no picker.
    expect(metadata.assigneeChoices).toBeUndefined();
  });
});
