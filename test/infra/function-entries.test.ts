import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { citizenSiteSources, functionEntry, PLACEHOLDER_ENTRY } from '../../infra/aws/function-entries';
import { handler, HandlerNotDeployedError } from '../../infra/aws/placeholder-handler';

function projectRoot(files: readonly string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'jalon-root-'));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), '');
  }
  return root;
}

describe('function entries', () => {
  it("uses a function folder's index.ts when it exists", () => {
    const root = projectRoot(['functions/form-intake/index.ts']);
    expect(functionEntry('form-intake', root)).toEqual({
      entry: path.join(root, 'functions', 'form-intake', 'index.ts'),
      present: true,
    });
  });

  it('falls back to the fail-closed placeholder while the handler is not written', () => {
    const root = projectRoot(['functions/email-intake/handler.ts']);
    expect(functionEntry('email-intake', root)).toEqual({ entry: PLACEHOLDER_ENTRY, present: false });
  });

  it('the placeholder fails every invocation (nothing is accepted and dropped)', async () => {
    await expect(handler()).rejects.toBeInstanceOf(HandlerNotDeployedError);
  });

  it('serves web/static when it exists, nothing otherwise', () => {
    expect(citizenSiteSources(projectRoot(['web/static/style.css']))).toHaveLength(1);
    expect(citizenSiteSources(projectRoot(['web/citizen/form.ts']))).toEqual([]);
  });
});
