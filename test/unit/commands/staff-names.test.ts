import { StaticStaffDirectory } from '../../../shared/adapters/config/static-directory';
import { addNote, findCases, getCase } from '../../../shared/domain/case/commands';
import { staffNamesOf } from '../../../shared/domain/identity/staff-names';
import { AGENT, CASE_ID, SUPERVISOR, harness } from './fixtures';

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
});
