// How this MCP server checks the tokens Mandate issues: the signature with Mandate's JWKS, the issuer, its
// own URI as audience, the type and lifetime; a DPoP proof for a bound token; and, when it has credentials,
// whether Mandate still says the token is active (a revoked consent ends access at once).
import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';

export interface Caller {
  token: string;
  clientId: string;
  subject: string;
  tenantId: string;
  scopes: string[];
  expiresAt: number;
}

/** Why a request is refused: the HTTP status and the WWW-Authenticate challenge's error. */
export class Refusal extends Error {
  constructor(readonly status: 401 | 403, readonly error: string, message: string, readonly scheme = 'Bearer',
    readonly scope?: string) {
    super(message);
  }
}

export interface TokenChecks {
  issuer: string;
  resource: string;
  /** This server's own credentials at Mandate (an agent), to ask whether a token is still active. */
  introspection?: { clientId: string; clientSecret: string };
}

const ALGORITHMS = ['ES256', 'ES384', 'EdDSA', 'RS256', 'PS256'];
const PROOF_MAX_AGE_SECONDS = 60;

export class TokenVerifier {
  private readonly keys;
  private readonly usedProofs = new Map<string, number>();

  constructor(private readonly checks: TokenChecks) {
    this.keys = createRemoteJWKSet(new URL(`${checks.issuer}/.well-known/jwks.json`));
  }

  /** The caller of a request to {@code url}, or a Refusal. */
  async verify(method: string, url: string, authorization: string | undefined, dpop: string | undefined): Promise<Caller> {
    const [scheme, token] = (authorization ?? '').split(' ', 2);
    if (!token || (scheme !== 'Bearer' && scheme !== 'DPoP')) {
      throw new Refusal(401, '', 'no access token');
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.checks.issuer, audience: this.checks.resource, typ: 'at+jwt', algorithms: ALGORITHMS,
      }));
    } catch (e) {
      throw new Refusal(401, 'invalid_token', `the access token is not valid here: ${(e as Error).message}`);
    }
    const jkt = (payload.cnf as { jkt?: string } | undefined)?.jkt;
    if (jkt) {
      if (scheme !== 'DPoP') {
        throw new Refusal(401, 'invalid_token', 'the token is bound to a key: present it as DPoP with a proof', 'DPoP');
      }
      await this.checkProof(dpop, method, url, token, jkt);
    } else if (scheme === 'DPoP') {
      throw new Refusal(401, 'invalid_token', 'a bearer token presented as DPoP', 'DPoP');
    }
    if (this.checks.introspection && !(await this.active(token))) {
      throw new Refusal(401, 'invalid_token', 'the access token was revoked');
    }
    return {
      token,
      clientId: String(payload.client_id),
      subject: String(payload.sub),
      tenantId: String(payload.tenant_id),
      scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
      expiresAt: payload.exp ?? 0,
    };
  }

  /** RFC 9449 §4.3: the proof is for this request and this token, signed by the key the token is bound to, used once. */
  private async checkProof(proof: string | undefined, method: string, url: string, token: string, jkt: string) {
    const refuse = (why: string) => new Refusal(401, 'invalid_dpop_proof', why, 'DPoP');
    if (!proof) {
      throw refuse('a DPoP proof is required');
    }
    let header;
    try {
      header = decodeProtectedHeader(proof);
    } catch {
      throw refuse('the DPoP proof is not a JWS');
    }
    const jwk = header.jwk as JWK | undefined;
    if (header.typ !== 'dpop+jwt' || !jwk || !ALGORITHMS.includes(String(header.alg))) {
      throw refuse('the DPoP proof must be a dpop+jwt with its public key');
    }
    if ((await calculateJwkThumbprint(jwk)) !== jkt) {
      throw refuse('the DPoP proof is not signed by the key the token is bound to');
    }
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(proof, jwk, { typ: 'dpop+jwt', algorithms: ALGORITHMS }));
    } catch (e) {
      throw refuse(`the DPoP proof does not verify: ${(e as Error).message}`);
    }
    const now = Math.floor(Date.now() / 1000);
    const ath = createHash('sha256').update(token).digest('base64url');
    if (claims.htm !== method || claims.htu !== url.split('?')[0] || claims.ath !== ath
        || typeof claims.iat !== 'number' || Math.abs(now - claims.iat) > PROOF_MAX_AGE_SECONDS
        || typeof claims.jti !== 'string') {
      throw refuse('the DPoP proof is not for this request or this token, or is too old');
    }
    for (const [seen, until] of this.usedProofs) {
      if (until < now) this.usedProofs.delete(seen);
    }
    if (this.usedProofs.has(`${jkt} ${claims.jti}`)) {
      throw refuse('the DPoP proof was used before');
    }
    this.usedProofs.set(`${jkt} ${claims.jti}`, now + 2 * PROOF_MAX_AGE_SECONDS);
  }

  /** RFC 7662 at Mandate, as this server's own agent. */
  private async active(token: string): Promise<boolean> {
    const { clientId, clientSecret } = this.checks.introspection!;
    const answer = await fetch(`${this.checks.issuer}/oauth2/introspect`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token }),
    });
    if (!answer.ok) {
      throw new Refusal(401, 'invalid_token', `Mandate could not say whether the token is active (${answer.status})`);
    }
    return (await answer.json()).active === true;
  }
}
