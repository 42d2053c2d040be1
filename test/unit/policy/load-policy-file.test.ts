import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PolicyError } from '../../../shared/domain/policy';
import { loadPolicyFile } from '../../../shared/domain/policy/load-file';
import { readPolicyDocument, setAt } from './policy-documents';

describe('loadPolicyFile', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'jalon-policy-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('loads a valid policy file', async () => {
    const file = path.join(directory, 'sct.json');
    await writeFile(file, JSON.stringify(readPolicyDocument('sct.json')));

    const policy = await loadPolicyFile(file);

    expect(policy.organization.id).toBe('sct');
  });

  it('names the file and the field path of a broken policy', async () => {
    const document = readPolicyDocument('sct.json');
    setAt(document, ['categories', 2, 'acknowledgement', 'delay', 'amount'], -1);
    const file = path.join(directory, 'broken.json');
    await writeFile(file, JSON.stringify(document));

    const load = loadPolicyFile(file);

    await expect(load).rejects.toThrow(PolicyError);
    await expect(load).rejects.toThrow(`(${file})`);
    await expect(load).rejects.toThrow('categories[2].acknowledgement.delay.amount: must be positive');
  });

  it('reports a file that is not JSON as a policy problem', async () => {
    const file = path.join(directory, 'truncated.json');
    await writeFile(file, '{"schemaVersion": 1,');

    const load = loadPolicyFile(file);

    await expect(load).rejects.toThrow(PolicyError);
    await expect(load).rejects.toThrow('is not valid JSON');
  });

  it('reports a missing file as a policy problem naming the file', async () => {
    const file = path.join(directory, 'absent.json');

    const load = loadPolicyFile(file);

    await expect(load).rejects.toMatchObject({
      name: 'PolicyError',
      source: file,
      issues: [expect.objectContaining({ path: '', message: 'cannot be read (ENOENT)' })],
    });
  });

  it('refuses a relative path, which would depend on the working directory', async () => {
    const load = loadPolicyFile('shared/config/policies/sct.json');

    await expect(load).rejects.toThrow(TypeError);
  });
});
