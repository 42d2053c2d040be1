import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import ts from 'typescript';

/**
 * Each function's ports are composed in one place, its `wiring.ts` (with the shared builders of
 * `shared/adapters/ports/`), which both its Lambda's `index.ts` and the local stack call (`docs/wiring.md`).
 * An entry point that builds an adapter itself, or a local-stack module that constructs an adapter a wiring
 * composes, is the duplication coming back: a port added to one side and forgotten on the other.
 */
const ROOT = path.resolve(__dirname, '../../..');

/** The adapter folders whose classes and factories make ports (not the logger's nor the secrets' helpers). */
const ADAPTER_FOLDERS = ['dynamodb', 's3', 'ses', 'sfn', 'pdf', 'kms'].map((folder) =>
  path.join(ROOT, 'shared', 'adapters', folder),
);

/**
 * Local-only uses of composed adapters, each with its reason. The mirror catch-up at start runs the back-fill's
 * use case on the cases a `kill -9` left unmirrored, with a page of its own and no run record: no Lambda does
 * that, so no wiring composes it.
 */
const LOCAL_ONLY: Readonly<Record<string, readonly string[]>> = {
  'infra/local/mirror-catch-up.ts': [
    'DynamoDbLedgerScanner',
    'S3LedgerMirrorReader',
    'DynamoDbLedgerItemReader',
    'S3WriteOnceStore',
  ],
};

/**
 * The builders of `shared/adapters/ports/` an entry point may import: they build an SDK client, not a port, so
 * that the client's options are written once (the document client's `removeUndefinedValues`). They import no
 * module of the project (checked below), so an entry point reaches no adapter through them.
 */
const CLIENT_BUILDERS: readonly string[] = ['shared/adapters/ports/document-client'];

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

/** The value imports of a file (local name → resolved module path), type-only imports left out. */
function valueImports(source: ts.SourceFile): Map<string, string> {
  const imports = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || statement.importClause?.isTypeOnly === true) continue;
    const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
    if (!specifier.startsWith('.')) continue;
    const target = path.resolve(path.dirname(source.fileName), specifier);
    const bindings = statement.importClause?.namedBindings;
    if (bindings === undefined || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      if (!element.isTypeOnly) imports.set(element.name.text, target);
    }
  }
  return imports;
}

function fromAdapterFolder(target: string): boolean {
  return ADAPTER_FOLDERS.some((folder) => target === folder || target.startsWith(folder + path.sep));
}

/** The imported names a file constructs (`new X(…)`) or calls (`X(…)`), with the module each comes from. */
function constructions(file: string): { name: string; target: string }[] {
  const source = parse(file);
  const imports = valueImports(source);
  const found: { name: string; target: string }[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression)) {
      const target = imports.get(node.expression.text);
      if (target !== undefined) found.push({ name: node.expression.text, target });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const wiringModules = [
  ...readdirSync(path.join(ROOT, 'functions'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(ROOT, 'functions', entry.name, 'wiring.ts')),
  ...sourceFiles(path.join(ROOT, 'shared', 'adapters', 'ports')),
];

/** The adapters the wirings compose: only they may construct them. */
function composedAdapters(): Set<string> {
  return new Set(
    wiringModules
      .flatMap((file) => constructions(file))
      .filter(({ target }) => fromAdapterFolder(target))
      .map(({ name }) => name),
  );
}

/** Where the local stack constructs an adapter a wiring composes (`file: Name`), its local-only uses aside. */
function localConstructions(files: readonly string[], composed: ReadonlySet<string>): string[] {
  return files.flatMap((file) => {
    const relative = path.relative(ROOT, file);
    const allowed = LOCAL_ONLY[relative] ?? [];
    return constructions(file)
      .filter(
        ({ name, target }) => fromAdapterFolder(target) && composed.has(name) && !allowed.includes(name),
      )
      .map(({ name }) => `${relative}: ${name}`);
  });
}

/** Where an entry point imports an adapter (`file: module`): it parses env, builds clients, calls its wiring. */
function entryAdapterImports(files: readonly string[]): string[] {
  return files.flatMap((file) =>
    [...valueImports(parse(file)).values()]
      .filter((target) => fromAdapterFolder(target) || target.includes(`${path.sep}adapters${path.sep}ports`))
      .filter((target) => !CLIENT_BUILDERS.includes(path.relative(ROOT, target).split(path.sep).join('/')))
      .map((target) => `${path.relative(ROOT, file)}: ${path.relative(ROOT, target)}`),
  );
}

describe('one wiring per function', () => {
  const functions = readdirSync(path.join(ROOT, 'functions'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

  it('every function has a wiring.ts, which its index.ts calls', () => {
    const missing = functions.filter((name) => {
      const index = readFileSync(path.join(ROOT, 'functions', name, 'index.ts'), 'utf8');
      return !/from '\.\/wiring'/.test(index);
    });

    expect(missing).toEqual([]);
  });

  it('no Lambda entry point builds an adapter: it calls its wiring with clients and configuration', () => {
    const entries = functions.map((name) => path.join(ROOT, 'functions', name, 'index.ts'));

    expect(entryAdapterImports(entries)).toEqual([]);
  });

  it('the client builders an entry point may import build clients only: they import no module of the project', () => {
    const projectImports = CLIENT_BUILDERS.flatMap((builder) =>
      [...valueImports(parse(path.join(ROOT, `${builder}.ts`))).values()].map(
        (target) => `${builder}: ${path.relative(ROOT, target)}`,
      ),
    );

    expect(projectImports).toEqual([]);
  });

  it('the local stack constructs no adapter a wiring composes: it calls the wirings and the port builders', () => {
    const local = sourceFiles(path.join(ROOT, 'infra', 'local'));

    expect(localConstructions(local, composedAdapters())).toEqual([]);
  });

  it('knows the adapters the wirings compose', () => {
    expect([...composedAdapters()]).toEqual(
      expect.arrayContaining([
        'DynamoDbCaseLedger',
        'SesNotifier',
        'DynamoDbReplyAddressBook',
        'loggedStaffDirectory',
        'DynamoDbReferenceAllocator',
        'SfnWorkflow',
        'PdfkitLetterRenderer',
        'S3LetterStore',
        'DynamoDbRateCounter',
        'DynamoDbReportAggregates',
        'KmsDigestSigner',
      ]),
    );
  });
});
