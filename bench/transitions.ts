import { formatInt, median } from './stats';
import type { CaseOutcome, Scenario, YearResult } from './year';

/**
 * State transitions per case, counted from the executions' history (`*StateEntered` events through
 * `GetExecutionHistory`): min / median / max over every case and per path, with the common path (acknowledged
 * and answered on time, median case) and the worst path (the case with the most) named.
 */
export function benchTransitions(result: YearResult): void {
  const all = result.outcomes.map((outcome) => outcome.statesEntered);
  const lines = [
    `State transitions per case (*StateEntered in GetExecutionHistory), ${formatInt(result.cases)} cases of the simulated year`,
    `  all cases        min ${Math.min(...all)}  median ${median(all)}  max ${Math.max(...all)}`,
  ];
  const scenarios = [...new Set(result.outcomes.map((outcome) => outcome.scenario))];
  for (const scenario of scenarios) {
    const counts = of(result.outcomes, scenario).map((outcome) => outcome.statesEntered);
    lines.push(
      `  ${scenario.padEnd(15)}  min ${Math.min(...counts)}  median ${median(counts)}  max ${Math.max(...counts)}  (${formatInt(counts.length)} cases)`,
    );
  }
  const common = of(result.outcomes, 'on-time');
  if (common.length > 0) {
    const value = median(common.map((outcome) => outcome.statesEntered));
    const example = common.find((outcome) => outcome.statesEntered === value);
    lines.push(`  common path      ${value} (on-time, e.g. case ${example?.caseId ?? '?'})`);
  }
  const worst = result.outcomes.reduce((a, b) => (b.statesEntered > a.statesEntered ? b : a));
  lines.push(
    `  worst path       ${worst.statesEntered} (${worst.scenario}, case ${worst.caseId}, ${worst.executions} execution(s))`,
  );
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

function of(outcomes: readonly CaseOutcome[], scenario: Scenario): CaseOutcome[] {
  return outcomes.filter((outcome) => outcome.scenario === scenario);
}
