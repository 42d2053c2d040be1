import { login, problemError, reach } from './report';

export interface WhatIfCommandRequest {
  readonly from: string;
  readonly to: string;
  readonly category: string;
  readonly ackDays?: number;
  readonly answerDays?: number;
  /** `false`: the workflow only escalates at the acknowledgement deadline (no automatic acknowledgement). */
  readonly automaticAcknowledgement?: boolean;
  readonly lang: 'fr' | 'en';
  readonly role: 'auditor' | 'supervisor';
  /** References per page of the answer's lists (the API's default, 100, when not given). */
  readonly pageSize?: number;
}

/**
 * The what-if of a running local stack for one category's change: signs in as its demo auditor (or
 * supervisor), then `POST /api/audit/what-if`. Returns the answer as JSON indented for reading: the figures
 * and each list's count and first page (`fetchWhatIfCases` lists a whole list).
 *
 * @throws ReportCommandError (exit code 2 when the stack refused the request, with each field's message)
 */
export async function fetchWhatIf(baseUrl: string, request: WhatIfCommandRequest): Promise<string> {
  const ask = await session(baseUrl, request);
  return `${JSON.stringify(await ask({}), null, 2)}\n`;
}

/**
 * Every reference of one list of the what-if, one a line: `list` is a difference (`acknowledgement.breached`,
 * `acknowledgement.noLongerBreached`, `answer.breached`, `answer.noLongerBreached`, `automaticInstead`) or a
 * figure of the changed side in total (`changed.<indicator>`, e.g. `changed.ack-late`). The what-if is asked
 * once for its cut-off (`asOf`), then each page with the same body and `cases`, following `next` (500 at a
 * time unless `pageSize` says otherwise). Confidential references are withheld (never listed by a what-if).
 *
 * @throws ReportCommandError (exit code 2 for a refused request or an unknown list, field by field)
 */
export async function fetchWhatIfCases(
  baseUrl: string,
  request: WhatIfCommandRequest & { readonly list: string },
): Promise<string> {
  const ask = await session(baseUrl, { pageSize: 500, ...request });
  const { asOf } = (await ask({})) as { asOf: string };
  const [list, indicator] = request.list.startsWith('changed.')
    ? ['changed', request.list.slice('changed.'.length)]
    : [request.list, undefined];
  const references: string[] = [];
  let cases: unknown = { list, ...(indicator !== undefined ? { indicator } : {}), page: 1, asOf };
  while (cases !== undefined) {
    const page = (await ask({ cases })) as { references: string[]; next?: unknown };
    references.push(...page.references);
    cases = page.next;
  }
  return references.map((reference) => `${reference}\n`).join('');
}

/** Signs in, and returns what posts the what-if of `request` with more fields (`cases`) and parses its answer. */
async function session(
  baseUrl: string,
  request: WhatIfCommandRequest,
): Promise<(more: Record<string, unknown>) => Promise<unknown>> {
  const token = await login(baseUrl, request.role);
  const change = {
    ...(request.ackDays !== undefined ? { acknowledgementDays: request.ackDays } : {}),
    ...(request.answerDays !== undefined ? { answerDays: request.answerDays } : {}),
    ...(request.automaticAcknowledgement !== undefined
      ? { automaticAcknowledgement: request.automaticAcknowledgement }
      : {}),
  };
  const body = {
    from: request.from,
    to: request.to,
    changes: { [request.category]: change },
    ...(request.pageSize !== undefined ? { pageSize: request.pageSize } : {}),
  };
  return async (more) => {
    const response = await reach(
      new URL('/api/audit/what-if', baseUrl),
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'accept-language': request.lang,
        },
        body: JSON.stringify({ ...body, ...more }),
      },
      baseUrl,
    );
    const payload = (await response.json().catch(() => ({}))) as unknown;
    if (!response.ok) throw problemError(payload, response.status);
    return payload;
  };
}
