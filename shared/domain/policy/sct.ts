import sctPolicyDocument from '../../config/policies/sct.json';
import { loadPolicy } from './load';
import type { Policy } from './schema';

/** The SCT's service catalogue: the five services of its service statement, service complaints and comments. */
export const SCT_CATEGORY_IDS = [
  'statistics',
  'policies',
  'media',
  'supplier-complaint',
  'doing-business',
  'service-complaint',
  'comment',
] as const;
export type SctCategoryId = (typeof SCT_CATEGORY_IDS)[number];

/**
 * The bundled SCT policy (`shared/config/policies/sct.json`), validated, with its catalogue required to be
 * exactly `SCT_CATEGORY_IDS`. Each call parses afresh, so callers never share a mutable policy object.
 */
export function loadSctPolicy(): Policy {
  return loadPolicy(sctPolicyDocument, {
    source: 'shared/config/policies/sct.json',
    requiredCatalogue: SCT_CATEGORY_IDS,
  });
}
