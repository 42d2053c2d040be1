import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addJalonStacks, type JalonStacks } from '../../infra/aws/jalon-app';

/**
 * The context `cdk synth` gives the app: cdk.json's feature flags, plus what the CLI adds itself. Tests that
 * skipped these would check a template `cdk synth` never produces.
 */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return { ...cdkJson.context };
}

/** A fresh app with cdk.json's context and the given extra context (`stage`, `account`, `region`). */
export function newApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJsonContext(), ...context } });
}

export interface SynthesizedStage {
  readonly app: App;
  readonly stacks: JalonStacks;
  readonly dataTemplate: Template;
}

const synthesized = new Map<string, SynthesizedStage>();

/** Builds and synthesizes the app for a stage once per test file (synth is the slow part). */
export function synthStage(stage: string): SynthesizedStage {
  const cached = synthesized.get(stage);
  if (cached) return cached;
  const app = newApp({ stage });
  const stacks = addJalonStacks(app);
  const result = { app, stacks, dataTemplate: Template.fromStack(stacks.data) };
  synthesized.set(stage, result);
  return result;
}
