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
}

/**
 * The what-if of a running local stack for one category's change: signs in as its demo auditor (or
 * supervisor), then `POST /api/audit/what-if`. Returns the answer as JSON indented for reading.
 *
 * @throws ReportCommandError (exit code 2 when the stack refused the request, with each field's message)
 */
export async function fetchWhatIf(baseUrl: string, request: WhatIfCommandRequest): Promise<string> {
  const token = await login(baseUrl, request.role);
  const change = {
    ...(request.ackDays !== undefined ? { acknowledgementDays: request.ackDays } : {}),
    ...(request.answerDays !== undefined ? { answerDays: request.answerDays } : {}),
    ...(request.automaticAcknowledgement !== undefined
      ? { automaticAcknowledgement: request.automaticAcknowledgement }
      : {}),
  };
  const response = await reach(
    new URL('/api/audit/what-if', baseUrl),
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'accept-language': request.lang,
      },
      body: JSON.stringify({ from: request.from, to: request.to, changes: { [request.category]: change } }),
    },
    baseUrl,
  );
  const payload = (await response.json().catch(() => ({}))) as unknown;
  if (!response.ok) throw problemError(payload, response.status);
  return `${JSON.stringify(payload, null, 2)}\n`;
}
