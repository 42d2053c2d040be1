import {
  authenticationResultsField,
  senderAuthenticationFailed,
  senderAuthenticationOf,
} from '../../../shared/domain/intake/email/authentication';
import { readHeaders } from '../../../shared/domain/intake/email/headers';

const headersOf = (...lines: string[]) => readHeaders(Buffer.from(`${lines.join('\r\n')}\r\n\r\nbody`));
const STAMP = 'Received: from mx by inbound-smtp.ca-central-1.amazonaws.com; Tue, 03 Mar 2026 14:12:00 +0000';

describe('senderAuthenticationOf', () => {
  it('reads the verdicts SES writes, comments and folding aside, and passes DKIM when any signature passed', () => {
    const headers = headersOf(
      STAMP,
      'Authentication-Results: amazonses.com;',
      ' spf=pass (spfCheck: domain of example.com designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1;',
      ' dkim=fail header.i=@other.example; dkim=pass header.i=@example.com;',
      ' dmarc=pass header.from=example.com;',
    );

    expect(senderAuthenticationOf(headers)).toEqual({ spf: 'pass', dkim: 'pass', dmarc: 'pass' });
  });

  it("ignores a sender's own Authentication-Results below the server's", () => {
    const headers = headersOf(
      STAMP,
      'Authentication-Results: amazonses.com; spf=fail; dkim=none; dmarc=fail header.from=bank.example',
      'Authentication-Results: amazonses.com; spf=pass; dkim=pass; dmarc=pass',
    );

    expect(senderAuthenticationOf(headers)).toEqual({ spf: 'fail', dkim: 'none', dmarc: 'fail' });
    expect(senderAuthenticationFailed(senderAuthenticationOf(headers))).toBe(true);
  });

  it('knows nothing from a topmost field of another service, or without one', () => {
    const other = headersOf(STAMP, 'Authentication-Results: mx.google.com; spf=pass; dkim=pass; dmarc=pass');

    expect(senderAuthenticationOf(other)).toEqual({ spf: 'unknown', dkim: 'unknown', dmarc: 'unknown' });
    expect(senderAuthenticationOf(headersOf(STAMP))).toEqual({
      spf: 'unknown',
      dkim: 'unknown',
      dmarc: 'unknown',
    });
    expect(senderAuthenticationFailed(senderAuthenticationOf(other))).toBe(false);
  });

  it('reads the local intake field with its own id, as it writes it', () => {
    const field = authenticationResultsField('jalon.local', { spf: 'fail', dkim: 'none', dmarc: 'fail' });

    expect(field).toBe('Authentication-Results: jalon.local; spf=fail; dkim=none; dmarc=fail');
    expect(senderAuthenticationOf(headersOf(STAMP, field), 'jalon.local')).toEqual({
      spf: 'fail',
      dkim: 'none',
      dmarc: 'fail',
    });
    expect(senderAuthenticationOf(headersOf(STAMP, field))).toMatchObject({ dmarc: 'unknown' });
  });

  it('finds a forged sender: DMARC fail, or SPF fail without a DKIM pass', () => {
    expect(senderAuthenticationFailed({ spf: 'pass', dkim: 'pass', dmarc: 'fail' })).toBe(true);
    expect(senderAuthenticationFailed({ spf: 'fail', dkim: 'none', dmarc: 'none' })).toBe(true);
    expect(senderAuthenticationFailed({ spf: 'fail', dkim: 'pass', dmarc: 'none' })).toBe(false);
    expect(senderAuthenticationFailed({ spf: 'none', dkim: 'none', dmarc: 'none' })).toBe(false);
    expect(senderAuthenticationFailed(undefined)).toBe(false);
  });
});
