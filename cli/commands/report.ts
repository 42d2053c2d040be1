/** The stack answered with an error, or could not be reached; `exitCode` 2 for a bad request. */
export class ReportCommandError extends Error {
  override readonly name = 'ReportCommandError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export interface ReportRequest {
  /** Both or neither: without a period, the server's default (1 January to today, Québec date). */
  readonly from?: string;
  readonly to?: string;
  readonly format: 'json' | 'csv';
  readonly lang: 'fr' | 'en';
  /** The demo role to sign in as on the local stack: the auditor sees everything, a supervisor their units. */
  readonly role: 'auditor' | 'supervisor';
}

/**
 * The service-statement report of a running local stack: signs in as its demo auditor (or supervisor,
 * `POST /api/local/login`), then `GET /api/audit/reports/service-statement`. Returns the body as served
 * (bytes: the CSV keeps its byte-order mark), JSON indented for reading.
 *
 * @throws ReportCommandError (exit code 2 when the stack refused the period, with each field's message)
 */
export async function fetchReport(baseUrl: string, request: ReportRequest): Promise<Buffer> {
  const token = await login(baseUrl, request.role);
  const query = new URLSearchParams({
    ...(request.from !== undefined ? { from: request.from } : {}),
    ...(request.to !== undefined ? { to: request.to } : {}),
    format: request.format,
    lang: request.lang,
  });
  const response = await reach(
    new URL(`/api/audit/reports/service-statement?${query.toString()}`, baseUrl),
    { headers: { authorization: `Bearer ${token}`, 'accept-language': request.lang } },
    baseUrl,
  );
  const body = Buffer.from(await response.arrayBuffer());
  if (!response.ok) {
    throw problemError(parse(body), response.status);
  }
  if (request.format === 'csv') return body;
  return Buffer.from(`${JSON.stringify(parse(body), null, 2)}\n`);
}

/** Which figure's cases to list: an indicator, in total or for a category and/or a channel. */
export interface ReportCasesRequest extends Omit<ReportRequest, 'format'> {
  readonly indicator: string;
  readonly category?: string;
  readonly channel?: string;
}

/**
 * The references behind one figure of the report, one a line: the report (JSON) is read for the figure's
 * drill-down address (`cases.href`; the report lists no reference), then every page of it, following `next`.
 * A scope without cases lists nothing; an unknown indicator, category or channel is refused by the stack
 * (exit code 2, field by field). Confidential references withheld from a supervisor are not listed.
 *
 * @throws ReportCommandError
 */
export async function fetchReportCases(baseUrl: string, request: ReportCasesRequest): Promise<Buffer> {
  const report = JSON.parse(
    (await fetchReport(baseUrl, { ...request, format: 'json' })).toString('utf8'),
  ) as {
    period: { from: string; to: string };
    total: Record<string, { cases: { href: string } } | undefined>;
    byCategory: Record<string, Record<string, { cases: { href: string } }>>;
    byChannel: Record<string, Record<string, { cases: { href: string } }>>;
    byCategoryChannel: Record<string, Record<string, Record<string, { cases: { href: string } }>>>;
  };
  const { indicator, category, channel } = request;
  const figures =
    category !== undefined && channel !== undefined
      ? report.byCategoryChannel[category]?.[channel]
      : category !== undefined
        ? report.byCategory[category]
        : channel !== undefined
          ? report.byChannel[channel]
          : report.total;
  // A figure the report does not have (no case in that scope, or a bad field): the route says which.
  const first =
    figures?.[indicator]?.cases.href ??
    `/api/audit/reports/service-statement/cases?${new URLSearchParams({
      ...report.period,
      indicator,
      ...(category !== undefined ? { category } : {}),
      ...(channel !== undefined ? { channel } : {}),
    }).toString()}`;
  const token = await login(baseUrl, request.role);
  const references: string[] = [];
  let at: string | undefined = `${first}&pageSize=500`;
  while (at !== undefined) {
    const response = await reach(
      new URL(at, baseUrl),
      { headers: { authorization: `Bearer ${token}`, 'accept-language': request.lang } },
      baseUrl,
    );
    const body = parse(Buffer.from(await response.arrayBuffer()));
    if (!response.ok) throw problemError(body, response.status);
    const page = body as { references: string[]; next?: string };
    references.push(...page.references);
    at = page.next;
  }
  return Buffer.from(references.map((reference) => `${reference}\n`).join(''));
}

/**
 * The error a refused request becomes: the problem's `detail` (RFC 9457, docs/http-errors.md), then each
 * field's error; exit code 2 for a bad request (400), 1 otherwise.
 */
export function problemError(payload: unknown, status: number): ReportCommandError {
  const problem = (typeof payload === 'object' && payload !== null ? payload : {}) as {
    detail?: string;
    errors?: { field: string; detail: string }[];
  };
  const issues = (problem.errors ?? []).map((issue) => `  ${issue.field}: ${issue.detail}`);
  return new ReportCommandError(
    [problem.detail ?? `The local stack answered ${status}.`, ...issues].join('\n'),
    status === 400 ? 2 : 1,
  );
}

/** Signs in as a demo role of the local stack (`POST /api/local/login`); its bearer token. */
export async function login(baseUrl: string, role: string): Promise<string> {
  const response = await reach(
    new URL('/api/local/login', baseUrl),
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role }) },
    baseUrl,
  );
  const payload = (await response.json().catch(() => ({}))) as { token?: string; message?: string };
  if (!response.ok || payload.token === undefined) {
    throw new ReportCommandError(
      payload.message ?? `The local stack refused the ${role} login (${response.status}).`,
    );
  }
  return payload.token;
}

/** `fetch`, or a `ReportCommandError` saying no local stack answers. */
export async function reach(url: URL, init: RequestInit, baseUrl: string): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    throw new ReportCommandError(`No local stack answers at ${baseUrl} (start it with: npm start).`);
  }
}

function parse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return {};
  }
}
