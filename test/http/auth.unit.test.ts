import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { createTokenVerifier } from '../../src/http/auth';
import { UnauthorizedError } from '../../src/errors';

const secret = 'a-test-secret-of-enough-length';
const hs256 = createTokenVerifier({ algorithm: 'HS256', key: secret, issuer: undefined, audience: undefined });
const sign = (payload: object, options: jwt.SignOptions = {}, key: jwt.Secret = secret) =>
  jwt.sign(payload, key, { algorithm: 'HS256', expiresIn: 60, ...options });

describe('Given an HS256 token verifier', () => {
  it('When the token is valid, then it yields the subject, the role (user by default) and the expiry', () => {
    const token = sign({ sub: 'user-1' });
    const principal = hs256(token);
    expect(principal).toMatchObject({ id: 'user-1', role: 'user' });
    expect(principal.expiresAt).toBe((jwt.decode(token) as { exp: number }).exp * 1000);
    expect(hs256(sign({ sub: 'admin-1', role: 'admin' })).role).toBe('admin');
  });

  it.each([
    ['expired', () => sign({ sub: 'u' }, { expiresIn: -10 }), 'Token expired'],
    ['signed with another secret', () => sign({ sub: 'u' }, {}, 'another-secret-of-enough-length'), 'Invalid token'],
    ['signed with HS512 (not allowed)', () => sign({ sub: 'u' }, { algorithm: 'HS512' }), 'Invalid token'],
    [
      'unsigned (alg none)',
      () => jwt.sign({ sub: 'u', exp: Math.floor(Date.now() / 1000) + 60 }, '', { algorithm: 'none' }),
      'Invalid token',
    ],
    ['without exp', () => jwt.sign({ sub: 'u' }, secret, { algorithm: 'HS256' }), 'Token has no expiry'],
    ['without sub', () => sign({ role: 'user' }), 'Token has no subject'],
    [
      'with a subject outside the id alphabet',
      () => sign({ sub: 'user 1/../x' }),
      'Token subject must be 1-200 characters of A-Z a-z 0-9 . _ : @ -',
    ],
    [
      'with a subject of 201 characters',
      () => sign({ sub: 'u'.repeat(201) }),
      'Token subject must be 1-200 characters of A-Z a-z 0-9 . _ : @ -',
    ],
    ['with an unknown role', () => sign({ sub: 'u', role: 'root' }), 'Token has an unknown role'],
    ['garbage', () => 'not.a.jwt', 'Invalid token'],
  ])('When the token is %s, then it is refused as UNAUTHORIZED (%s)', (_case, makeToken, message) => {
    expect(() => hs256(makeToken())).toThrow(new UnauthorizedError(message));
  });

  it('When issuer and audience are configured, then tokens must carry them', () => {
    const strict = createTokenVerifier({
      algorithm: 'HS256',
      key: secret,
      issuer: 'shop-auth',
      audience: 'communication',
    });
    expect(strict(sign({ sub: 'u' }, { issuer: 'shop-auth', audience: 'communication' })).id).toBe('u');
    expect(() => strict(sign({ sub: 'u' }, { issuer: 'someone-else', audience: 'communication' }))).toThrow(
      UnauthorizedError,
    );
    expect(() => strict(sign({ sub: 'u' }, { issuer: 'shop-auth' }))).toThrow(UnauthorizedError);
  });
});

describe('Given an RS256 token verifier with a public key', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rs256 = createTokenVerifier({
    algorithm: 'RS256',
    key: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    issuer: undefined,
    audience: undefined,
  });

  it('When the token is signed with the matching private key, then it is accepted', () => {
    const token = jwt.sign({ sub: 'user-9' }, privateKey, { algorithm: 'RS256', expiresIn: 60 });
    expect(rs256(token).id).toBe('user-9');
  });

  it('When an HS256 token is signed with the public key as a secret (algorithm confusion), then it is refused', () => {
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => rs256(sign({ sub: 'u' }, {}, pem))).toThrow(UnauthorizedError);
  });
});
