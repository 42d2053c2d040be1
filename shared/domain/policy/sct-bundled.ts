import sctPolicyDocument from '../../config/policies/sct.json';
import { withResolvedCalendars } from './resolve-calendars';
import type { Policy, PolicyDocument } from './schema';

/**
 * The bundled SCT policy as `loadSctPolicy` returns it, without validating it again: what the Lambda functions
 * use. The file is validated before any deployment (`cdk synth` renders the citizen and staff sites with
 * `loadSctPolicy` on this same file, so a broken policy fails the synth), and a unit test requires both to be
 * deeply equal (the order of the top-level keys may differ; nothing enumerates them). Validating it at each cold start was the largest cost of a function's own module
 * load (`docs/cold-start.md`). Each call returns a fresh copy, as `loadSctPolicy` does.
 */
export function bundledSctPolicy(): Policy {
  return withResolvedCalendars(structuredClone(sctPolicyDocument) as unknown as PolicyDocument);
}
