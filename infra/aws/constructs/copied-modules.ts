import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** One installed package to copy beside a bundle: its name and its folder in the project's `node_modules`. */
export interface InstalledPackage {
  readonly name: string;
  readonly dir: string;
}

function packageDirOf(name: string, from: string): string {
  try {
    return path.dirname(require.resolve(`${name}/package.json`, { paths: [from] }));
  } catch {
    // A package whose `exports` hide its package.json: walk up from its entry point.
    let dir = path.dirname(require.resolve(name, { paths: [from] }));
    while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
    return dir;
  }
}

/**
 * The packages `names` need at run time (their `dependencies`, transitively), as installed in the project:
 * what must sit in `node_modules` beside a bundle that leaves `names` external. Packages nested in another's
 * own `node_modules` are not listed (they come with their parent's folder).
 */
export function runtimeClosure(names: readonly string[], projectRoot: string): InstalledPackage[] {
  const found = new Map<string, string>();
  const visit = (name: string, from: string): void => {
    const dir = packageDirOf(name, from);
    if (found.has(dir)) return;
    found.set(dir, name);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, dir);
  };
  for (const name of names) visit(name, projectRoot);
  // Resolved paths are real paths: compare with the real folder when `node_modules` is a symbolic link.
  const top = realpathSync(path.join(projectRoot, 'node_modules'));
  return [...found]
    .filter(([dir]) => path.dirname(dir) === top || path.dirname(path.dirname(dir)) === top)
    .map(([dir, name]) => ({ name, dir }));
}

/**
 * Shell commands that copy `packages` into `<outputDir>/node_modules`: the offline replacement of the bundler's
 * `nodeModules` install (which runs npm against the registry during synth).
 */
export function copyCommands(packages: readonly InstalledPackage[], outputDir: string): string[] {
  return packages.map((pkg) => {
    const target = path.join(outputDir, 'node_modules', pkg.name);
    return `mkdir -p "${path.dirname(target)}" && cp -R "${pkg.dir}" "${target}"`;
  });
}
