import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import ts from 'typescript';

/**
 * The folders of `shared/` import one another one way: no folder reaches, through any chain of imports, back
 * to itself. A cycle between folders (the case model importing the ledger that imports the case model) means
 * neither can be read, tested or bundled without the other; the fix is to move the shared part down.
 */
const ROOT = path.resolve(__dirname, '../../..');
const SHARED = path.join(ROOT, 'shared');

interface FolderImport {
  readonly from: string;
  readonly to: string;
  /** One file import behind the folder import, for the message. */
  readonly example: string;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function folderImports(): FolderImport[] {
  const imports = new Map<string, FolderImport>();
  for (const file of sourceFiles(SHARED)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), fileName);
      if (!target.startsWith(SHARED + path.sep)) continue;
      const from = path.relative(ROOT, path.dirname(file));
      // An import names a file (`../case/case`) or a folder's index (`../case`).
      const to = path.relative(ROOT, fileName.endsWith('.json') ? path.dirname(target) : folderOf(target));
      if (from === to || imports.has(`${from}\0${to}`)) continue;
      imports.set(`${from}\0${to}`, {
        from,
        to,
        example: `${path.relative(ROOT, file)} → ${fileName}`,
      });
    }
  }
  return [...imports.values()];
}

function folderOf(target: string): string {
  try {
    readdirSync(target);
    return target;
  } catch {
    return path.dirname(target);
  }
}

/** The strongly connected components of more than one folder (Tarjan), each a set of folders in a cycle. */
function cycles(edges: readonly FolderImport[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...new Set(edges.flatMap(({ from, to }) => [from, to]))].sort()) {
    if (!index.has(node)) visit(node);
  }
  return found;
}

describe('imports between the folders of shared/', () => {
  it('run one way: no folder imports, directly or not, a folder that imports it', () => {
    const edges = folderImports();
    const described = cycles(edges).map((component) => ({
      folders: component,
      imports: edges
        .filter(({ from, to }) => component.includes(from) && component.includes(to))
        .map(({ example }) => example),
    }));

    expect(described).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    expect(
      cycles([
        { from: 'a', to: 'b', example: '' },
        { from: 'b', to: 'c', example: '' },
        { from: 'c', to: 'a', example: '' },
        { from: 'c', to: 'd', example: '' },
      ]),
    ).toEqual([['a', 'b', 'c']]);
  });

  it('sees the imports of the case model', () => {
    const fromCaseCommands = folderImports().filter(({ from }) => from === 'shared/domain/case/commands');

    expect(fromCaseCommands.map(({ to }) => to)).toEqual(
      expect.arrayContaining(['shared/domain/case', 'shared/domain/ledger', 'shared/domain/access']),
    );
  });
});
