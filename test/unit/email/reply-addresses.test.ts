import {
  REPLY_TOKEN_PATTERN,
  base32,
  formatReplyAddress,
  newReplyToken,
  replyTokenOf,
} from '../../../shared/domain/intake/email/reply-addresses';

const DOMAIN = 'intake.sct.example';

describe('reply tokens', () => {
  it('base32 follows RFC 4648 (lower case, no padding)', () => {
    expect(base32(Buffer.from(''))).toBe('');
    expect(base32(Buffer.from('f'))).toBe('my');
    expect(base32(Buffer.from('fo'))).toBe('mzxq');
    expect(base32(Buffer.from('foobar'))).toBe('mzxw6ytboi');
  });

  it('a token is 26 base32 characters from 16 random bytes', () => {
    let asked = 0;
    const token = newReplyToken((size) => {
      asked = size;
      return Buffer.alloc(size, 0xff);
    });

    expect(asked).toBe(16);
    expect(token).toBe('7'.repeat(25) + '4');
    expect(REPLY_TOKEN_PATTERN.test(newReplyToken())).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newReplyToken())).size).toBe(1000);
  });

  it('formats and reads back a reply address, in any letter case', () => {
    const token = newReplyToken();
    const address = formatReplyAddress(token, { mailbox: 'demandes', domain: DOMAIN });

    expect(address).toBe(`demandes+${token}@${DOMAIN}`);
    expect(replyTokenOf(address.toUpperCase(), DOMAIN)).toBe(token);
  });

  it('reads no token from other domains, plain tags or malformed tokens', () => {
    const token = newReplyToken();

    expect(replyTokenOf(`demandes+${token}@other.example`, DOMAIN)).toBeUndefined();
    expect(replyTokenOf(`commentaires+siteweb@${DOMAIN}`, DOMAIN)).toBeUndefined();
    expect(replyTokenOf(`demandes+${token}1@${DOMAIN}`, DOMAIN)).toBeUndefined();
    expect(replyTokenOf(`demandes@${DOMAIN}`, DOMAIN)).toBeUndefined();
  });
});
