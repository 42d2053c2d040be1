/** The body of an RFC 9457 problem answer of the Jalon APIs (see shared/http/problem.ts). */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly messages: { readonly fr: string; readonly en: string };
  readonly errors?: readonly {
    readonly field: string;
    readonly pointer: string;
    readonly detail: string;
    readonly messages: { readonly fr: string; readonly en: string };
  }[];
  readonly requestId?: string;
}

/** The field errors of a problem as `{path, message}` in the answer's language, for compact assertions. */
export function fieldIssues(body: Pick<ProblemBody, 'errors'>): { path: string; message: string }[] {
  return (body.errors ?? []).map((error) => ({ path: error.field, message: error.detail }));
}
