package io.mandate.token.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mandate.jose.ClientSignatures;
import io.mandate.jose.ClaimProfile;
import io.mandate.token.AgentProjection;
import io.mandate.token.config.TokenConfig;
import io.mandate.token.keys.SigningKeys;
import io.mandate.token.repository.HumanLoginRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Mints RFC 9068 access tokens ({@code typ: at+jwt}) with the active signing key. */
@ApplicationScoped
public class AccessTokens {

    private static final ObjectMapper METADATA_JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> METADATA_TYPE = new TypeReference<>() {
    };

    /** The subject of token-service's own tokens for the other services (libs/auth reads it so). */
    public static final String SERVICE_SUBJECT = "svc_token-service";
    private static final Duration SERVICE_TOKEN_LIFETIME = Duration.ofMinutes(1);

    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    /** Ours are under 1 KiB; anything far larger is not worth parsing. */
    private static final int MAX_TOKEN_CHARS = 8192;

    private final SigningKeys keys;
    private final TokenConfig config;

    AccessTokens(SigningKeys keys, TokenConfig config) {
        this.keys = keys;
        this.config = config;
    }

    /**
     * A minted token; {@code dpopJkt} is the thumbprint it is bound to (RFC 9449 {@code cnf.jkt}), or null
     * for a bearer token.
     */
    public record AccessToken(String jwt, String jti, long expiresIn, Instant expiresAt, List<String> scopes,
            List<String> audience, String dpopJkt) {

        /** {@code Bearer} or {@code DPoP}, for the token response's {@code token_type}. */
        public String tokenType() {
            return dpopJkt == null ? "Bearer" : "DPoP";
        }
    }

    public AccessToken issue(AgentProjection agent, List<String> scopes, Target target, String dpopJkt) {
        return issue(agent, scopes, target, dpopJkt, agent.trustLevel, Instant.now());
    }

    /**
     * A token whose {@code trust_level} is proven by this very authentication (a PGP challenge: 3, and the
     * key's {@code fingerprint}, else null).
     */
    public AccessToken issue(AgentProjection agent, List<String> scopes, Target target, String dpopJkt,
            int trustLevel, String fingerprint) {
        return mint(agent, null, scopes, target, dpopJkt, trustLevel, fingerprint, Instant.now());
    }

    /** Mints a token as if issued at {@code now} (tests use a past instant to get an expired one). */
    AccessToken issue(AgentProjection agent, List<String> scopes, Target target, String dpopJkt, int trustLevel,
            Instant now) {
        return mint(agent, null, scopes, target, dpopJkt, trustLevel, null, now);
    }

    /**
     * Authority a human lent down a chain (RFC 8693 §4.1): {@code sub} is the human, {@code act} the acting
     * agent with each earlier hop nested inside, {@code delegation_id} the grant; never past {@code notAfter}.
     */
    public record Delegated(String userId, String delegationId, Map<String, Object> act, Instant notAfter,
            Object authorizationDetails) {

        public Delegated(String userId, String delegationId, Map<String, Object> act, Instant notAfter) {
            this(userId, delegationId, act, notAfter, null);
        }
    }

    /** A token the agent acts with on a human's behalf; {@code client_id} stays the agent. */
    public AccessToken issueDelegated(AgentProjection agent, Delegated delegated, List<String> scopes,
            Target target, String dpopJkt) {
        return mint(agent, delegated, scopes, target, dpopJkt, agent.trustLevel, null, Instant.now());
    }

    /** Lives as long as the tenant's default, or the registered resource's own lifetime; a delegation never past its grant. */
    private AccessToken mint(AgentProjection agent, Delegated delegated, List<String> scopes, Target target,
            String dpopJkt, int trustLevel, String fingerprint, Instant now) {
        List<String> audience = target.audience();
        Instant expires = now.plus(target.lifetime().orElse(config.accessTokenLifetime()));
        if (delegated != null && delegated.notAfter().isBefore(expires)) {
            expires = delegated.notAfter();
        }
        String jti = UUID.randomUUID().toString();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(config.issuer())
                .subject(delegated == null ? agent.agentId : delegated.userId())
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(jti)
                .claim("client_id", agent.agentId)
                .claim("scope", String.join(" ", scopes))
                .claim("tenant_id", agent.tenantId)
                .claim("tier", agent.tier)
                .claim("trust_level", trustLevel);
        if (delegated != null) {
            claims.claim("delegation_id", delegated.delegationId());
            if (delegated.act() != null) { // null: the person's own app, which does not act for itself
                claims.claim("act", delegated.act());
            }
            if (delegated.authorizationDetails() != null) {
                claims.claim("authorization_details", delegated.authorizationDetails());
            }
        }
        if (dpopJkt != null) {
            claims.claim("cnf", Map.of("jkt", dpopJkt));
        }
        profiled(claims, agent, scopes, target, fingerprint);
        long expiresIn = Math.max(0, expires.getEpochSecond() - now.getEpochSecond());
        return new AccessToken(sign(claims.build(), config.signingAlgorithm(agent.tenantId)), jti, expiresIn, expires,
                scopes, audience, dpopJkt);
    }

    /**
     * The claims of the claim profile: the resource's own when it names any, else the tenant's (none by
     * default). Metadata keys never replace a claim already set.
     */
    private void profiled(JWTClaimsSet.Builder claims, AgentProjection agent, List<String> scopes, Target target,
            String fingerprint) {
        List<String> profile = target.resource().map(r -> r.claims).filter(c -> c != null && !c.isEmpty())
                .orElseGet(() -> config.tenant(agent.tenantId, TokenConfig.Tenant::claims).orElse(List.of()));
        if (profile.isEmpty()) {
            return;
        }
        Map<String, Object> metadata = null;
        for (String claim : profile) {
            if (claim.equals(ClaimProfile.AGENT_ID)) {
                claims.claim(ClaimProfile.AGENT_ID, agent.agentId);
            } else if (claim.equals(ClaimProfile.SCOPES)) {
                claims.claim(ClaimProfile.SCOPES, scopes);
            } else if (claim.equals(ClaimProfile.FINGERPRINT) && fingerprint != null) {
                claims.claim(ClaimProfile.FINGERPRINT, fingerprint);
            } else if (claim.startsWith(ClaimProfile.METADATA)) {
                String key = claim.substring(ClaimProfile.METADATA.length());
                metadata = metadata != null ? metadata : metadata(agent);
                if (!ClaimProfile.reserved(key) && metadata.containsKey(key)) {
                    claims.claim(key, metadata.get(key));
                }
            }
        }
    }

    private static Map<String, Object> metadata(AgentProjection agent) {
        try {
            return agent.metadata == null ? Map.of() : METADATA_JSON.readValue(agent.metadata, METADATA_TYPE);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    /** A human's token (login): {@code sub} the account, its {@code tenant_id}, {@code roles} and {@code email}. */
    public AccessToken issueHuman(HumanLoginRepository.Human human) {
        return issueHuman(human, config.humanTokenLifetime());
    }

    /** A human's token of the given lifetime (the pages call delegation-service for the person with a short one). */
    public AccessToken issueHuman(HumanLoginRepository.Human human, Duration lifetime) {
        Instant now = Instant.now();
        String jti = UUID.randomUUID().toString();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(config.issuer())
                .subject(human.userId())
                .audience(config.defaultAudience())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(jti)
                .claim("tenant_id", human.tenantId())
                .claim("roles", human.roles())
                .claim("email", human.email())
                .claim("preferred_username", human.username())
                .build();
        return new AccessToken(sign(claims, config.signingAlgorithm(null)), jti, lifetime.toSeconds(),
                now.plus(lifetime), List.of(), List.of(config.defaultAudience()), null);
    }

    /**
     * token-service's own token for another service's API, acting for {@code tenantId} in the one role named
     * ({@code client_registrar}): {@code sub} {@code svc_token-service}, one minute.
     */
    public String issueService(String tenantId, String role) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(config.issuer())
                .subject(SERVICE_SUBJECT)
                .audience(config.defaultAudience())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(SERVICE_TOKEN_LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .claim("tenant_id", tenantId)
                .claim("roles", List.of(role))
                .build();
        return sign(claims, config.signingAlgorithm(null));
    }

    String sign(JWTClaimsSet claims, JWSAlgorithm alg) {
        SigningKeys.ActiveKey key = keys.active(alg);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm()).type(AT_JWT).keyID(key.kid()).build(), claims);
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }

    /**
     * The claims of a token this server signed with a key it still publishes and that has not
     * expired; empty for anything else (malformed, tampered, unknown key, expired, not yet valid).
     */
    public Optional<JWTClaimsSet> verify(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!AT_JWT.equals(jwt.getHeader().getType())) {
                return Optional.empty();
            }
            JWK key = keys.jwks().getKeyByKeyId(jwt.getHeader().getKeyID());
            if (key == null || !ClientSignatures.verify(jwt, key)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date now = new Date();
            if (claims.getExpirationTime() == null || !now.before(claims.getExpirationTime()) || claims.getIssueTime() == null
                    || (claims.getNotBeforeTime() != null && now.before(claims.getNotBeforeTime()))
                    || !config.issuer().equals(claims.getIssuer())) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
