import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Another running stack uses the data folder. */
export class DataFolderInUseError extends Error {
  override readonly name = 'DataFolderInUseError';
  constructor(folder: string, pid: number) {
    super(
      `The data folder ${folder} is used by another Jalon (process ${pid}). Stop it first, ` +
        'or start this one with --memory or another --data-dir.',
    );
  }
}

/**
 * Claims the data folder for this process (`jalon.pid`) and returns the release. Two stacks on one folder would
 * share dynalite's LevelDB, whose lock makes the second one crash deep inside dynalite with "Database is
 * closed"; this turns that into a clear message. A claim left by a process that no longer runs is taken over.
 */
export function claimDataFolder(folder: string): () => void {
  const file = path.join(folder, 'jalon.pid');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
    if (Number.isInteger(holder) && isRunning(holder)) throw new DataFolderInUseError(folder, holder);
    rmSync(file, { force: true });
  }
  throw new Error(`Could not claim the data folder ${folder}.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
