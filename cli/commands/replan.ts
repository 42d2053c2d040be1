import type { ReplanSummary } from '../../shared/domain/workflow/replan';

/** The stack answered with an error, or could not be reached. */
export class ReplanCommandError extends Error {
  override readonly name = 'ReplanCommandError';
}

/**
 * `POST /api/local/replan` of a running local stack: re-plans its open cases under the calendar versions in
 * force on the stack's clock (after a calendar file gained a version) and returns what it did.
 */
export async function replanStack(baseUrl: string): Promise<ReplanSummary> {
  let response: Response;
  try {
    response = await fetch(new URL('/api/local/replan', baseUrl), { method: 'POST' });
  } catch {
    throw new ReplanCommandError(`No local stack answers at ${baseUrl} (start it with: npm start).`);
  }
  const payload = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok) {
    throw new ReplanCommandError(payload.message ?? `The local stack answered ${response.status}.`);
  }
  return payload as ReplanSummary;
}

/** The summary as a person reads it: the counts, then one line per deadline recorded (ids and dates only). */
export function formatReplanSummary(summary: ReplanSummary): string {
  const lines = [
    `Cases checked: ${summary.checked}`,
    `Deadlines moved: ${summary.changed}`,
    `Kept because communicated to the requester: ${summary.keptCommunicated}`,
  ];
  if (summary.woken > 0) lines.push(`Workflows woken for an earlier date: ${summary.woken}`);
  if (summary.failed.length > 0) lines.push(`Failed (run again): ${summary.failed.join(', ')}`);
  for (const d of summary.deadlines) {
    lines.push(
      d.outcome === 'changed'
        ? `  ${d.caseId} ${d.kind}: ${d.from} -> ${d.to}`
        : `  ${d.caseId} ${d.kind}: kept ${d.from} (the date given to the requester; recalculated ${d.to})`,
    );
  }
  return lines.join('\n');
}
