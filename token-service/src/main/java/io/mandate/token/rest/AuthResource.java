package io.mandate.token.rest;

import io.mandate.api.Problem;
import io.mandate.token.AgentProjection;
import io.mandate.token.grant.ClientCredentialsGrant;
import io.mandate.token.grant.Issued;
import io.mandate.token.grant.PgpChallenges;
import io.mandate.token.grant.PgpRegistrations;
import io.mandate.token.grant.RefreshTokenGrant;
import io.mandate.token.oauth.OAuthException;
import io.mandate.token.oauth.TokenRequest;
import io.mandate.token.service.AccessTokenUse;
import io.mandate.token.service.ClientAuthenticator;
import io.mandate.token.service.HumanLogin;
import io.mandate.token.service.RefreshTokenFamilies;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The simple flows beside OAuth, on the same machinery as the OAuth endpoints: an agent
 * trades its id and API key (or a PGP challenge's answer) for tokens, refreshes, revokes everything it
 * holds; a human logs in.
 * Refusals are problem+json with the OAuth error as {@code code}.
 */
@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {

    private final HumanLogin login;
    private final ClientAuthenticator authenticator;
    private final ClientCredentialsGrant clientCredentials;
    private final RefreshTokenGrant refreshTokens;
    private final RefreshTokenFamilies families;
    private final AccessTokenUse tokenUse;
    private final PgpChallenges pgp;
    private final PgpRegistrations pgpRegistrations;

    AuthResource(HumanLogin login, ClientAuthenticator authenticator, ClientCredentialsGrant clientCredentials,
            RefreshTokenGrant refreshTokens, RefreshTokenFamilies families, AccessTokenUse tokenUse, PgpChallenges pgp,
            PgpRegistrations pgpRegistrations) {
        this.pgpRegistrations = pgpRegistrations;
        this.families = families;
        this.pgp = pgp;
        this.login = login;
        this.authenticator = authenticator;
        this.clientCredentials = clientCredentials;
        this.refreshTokens = refreshTokens;
        this.tokenUse = tokenUse;
    }

    public record LoginRequest(@NotBlank @Size(max = 64) String username, @NotNull @Size(max = 256) String password) {
    }

    public record User(String id, String tenantId, String username, String email, List<String> roles) {
    }

    public record LoginResponse(String token, String tokenType, long expiresIn, User user) {
    }

    /** {@code {username, password}} → a human access token (6 h by default) and who it belongs to. */
    @POST
    @Path("/login")
    public Response login(@Valid @NotNull LoginRequest request, @Context HttpServerRequest http) {
        var session = login.login(request.username().strip(), request.password(),
                http.remoteAddress() == null ? null : http.remoteAddress().hostAddress(), http.getHeader("User-Agent"));
        var human = session.human();
        return Response.ok(new LoginResponse(session.token().jwt(), "Bearer", session.token().expiresIn(),
                new User(human.userId(), human.tenantId(), human.username(), human.email(), human.roles())))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    /**
     * Signs the human out: every token of theirs issued up to now stops working at every service within a
     * second ({@code Authorization: Bearer} with their token). 204, or 401 without a human's valid token.
     */
    @POST
    @Path("/logout")
    @Consumes(MediaType.WILDCARD)
    public Response logout(@Context HttpHeaders headers) {
        login.logout(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
        return Response.noContent().build();
    }

    public record VerifyRequest(@NotBlank @Size(max = 64) String agentId, @NotBlank @Size(max = 256) String apiKey,
            @Size(max = 2048) String scope) {
    }

    public record AgentView(String id, String tenantId, String status, List<String> permissions, String tier,
            int trustLevel) {

        static AgentView of(AgentProjection agent) {
            return new AgentView(agent.agentId, agent.tenantId, agent.status, agent.permissions, agent.tier,
                    agent.trustLevel);
        }
    }

    public record VerifyResponse(boolean verified, AgentView agent, Map<String, Object> token) {
    }

    /** {@code {agent_id, api_key, scope?}} → the agent and a token pair (always with a refresh token). */
    @POST
    @Path("/verify")
    public Response verify(@Valid @NotNull VerifyRequest body, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        TokenRequest request = seedRequest(body.scope(), headers, http);
        var client = authenticator.secret(request, body.agentId(), body.apiKey(), "api_key");
        Issued issued = clientCredentials.issueNow(client, request, "verify", true);
        return tokens(new VerifyResponse(true, AgentView.of(client.agent()), TokenResource.body(issued)), issued);
    }

    public record RefreshRequest(@NotBlank @Size(max = 256) String refreshToken, @Size(max = 2048) String scope) {
    }

    /** {@code {refresh_token, scope?}} → a new token pair; the refresh token presented is used up. */
    @POST
    @Path("/refresh")
    public Response refresh(@Valid @NotNull RefreshRequest body, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        TokenRequest request = seedRequest(body.scope(), headers, http);
        Issued issued = refreshTokens.rotate(body.refreshToken(), null, body.scope(), null, request);
        return tokens(TokenResource.body(issued), issued);
    }

    public record PgpChallengeRequest(@NotBlank @Size(max = 64) String agentId) {
    }

    /** {@code {agent_id}} → {@code {challenge_id, encrypted_challenge, expires_at}}: a secret only the key's holder reads. */
    @POST
    @Path("/pgp/challenge")
    public PgpChallenges.Challenge pgpChallenge(@Valid @NotNull PgpChallengeRequest body) {
        return pgp.issue(body.agentId());
    }

    public record PgpVerifyRequest(@NotBlank @Size(max = 64) String challengeId, @NotBlank @Size(max = 64) String agentId,
            @NotBlank @Size(max = 512) String response, @Size(max = 2048) String scope) {
    }

    /** The decrypted challenge → the agent and a token pair at trust level 3, as {@code /verify} answers. */
    @POST
    @Path("/pgp/verify")
    public Response pgpVerify(@Valid @NotNull PgpVerifyRequest body, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        TokenRequest request = seedRequest(body.scope(), headers, http);
        PgpChallenges.Proven proven = pgp.verify(body.challengeId(), body.agentId(), body.response().strip());
        var client = new ClientAuthenticator.AuthenticatedClient(proven.agent(), proven.credentialId(), "pgp_challenge",
                Math.max(3, proven.agent().trustLevel), proven.fingerprint());
        Issued issued = clientCredentials.issueNow(client, request, "pgp_challenge", true);
        return tokens(new VerifyResponse(true, AgentView.of(proven.agent()), TokenResource.body(issued)), issued);
    }

    public record PgpRegisterRequest(@NotBlank @Size(max = 20_000) String pgpPublicKey, @Size(max = 200) String name,
            @Size(max = 64) String tenantId) {
    }

    /**
     * SWARM's self-onboarding, where the tenant allows it: an OpenPGP public key → a challenge encrypted to it
     * and the key's fingerprint.
     */
    @POST
    @Path("/pgp/register")
    public Response pgpRegister(@Valid @NotNull PgpRegisterRequest body, @Context HttpServerRequest http) {
        return Response.status(201).entity(pgpRegistrations.start(body.pgpPublicKey(), body.name(), body.tenantId(),
                http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress())).build();
    }

    public record PgpRegisterVerifyRequest(@NotBlank @Size(max = 64) String challengeId,
            @NotBlank @Size(max = 512) String response, @Size(max = 2048) String scope) {
    }

    /** The decrypted challenge → a new agent (trust level 3) and its tokens, as {@code /pgp/verify} answers. */
    @POST
    @Path("/pgp/register/verify")
    public Response pgpRegisterVerify(@Valid @NotNull PgpRegisterVerifyRequest body, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        TokenRequest request = seedRequest(body.scope(), headers, http);
        PgpChallenges.Proven proven = pgpRegistrations.finish(body.challengeId(), body.response().strip());
        var client = new ClientAuthenticator.AuthenticatedClient(proven.agent(), proven.credentialId(), "pgp_challenge",
                Math.max(3, proven.agent().trustLevel), proven.fingerprint());
        Issued issued = clientCredentials.issueNow(client, request, "pgp_challenge", true);
        return tokens(201, new VerifyResponse(true, AgentView.of(proven.agent()), TokenResource.body(issued)), issued);
    }

    public record RevokeTokensRequest(@Size(max = 64) String agentId, @Size(max = 256) String apiKey) {
    }

    public record RevokeTokensResponse(String agentId, int refreshTokensRevoked, Instant accessTokensIssuedBefore) {
    }

    /**
     * Ends every refresh token of the agent and every access token issued to it so far. The agent proves
     * itself with {@code {agent_id, api_key}} or with one of its access tokens ({@code Bearer}, or
     * {@code DPoP} with a proof for this request).
     */
    @POST
    @Path("/revoke-tokens")
    public Response revokeTokens(RevokeTokensRequest body, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        AgentProjection agent;
        if (body != null && body.agentId() != null && body.apiKey() != null) {
            TokenRequest request = seedRequest(null, headers, http);
            agent = authenticator.secret(request, body.agentId(), body.apiKey(), "api_key").agent();
        } else {
            agent = tokenUse.agent(headers.getHeaderString(HttpHeaders.AUTHORIZATION), headers.getHeaderString("DPoP"),
                    "POST", "/v1/auth/revoke-tokens");
        }
        var revoked = families.revokeAll(agent);
        return Response.ok(new RevokeTokensResponse(agent.agentId, revoked.refreshTokensRevoked(), revoked.issuedBefore()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    /** OAuth refusals on these JSON endpoints are problem+json, with the OAuth error code as {@code code}. */
    @ServerExceptionMapper
    public Response refused(OAuthException e) {
        Response.ResponseBuilder response = Response.status(e.status()).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(e.status(), e.error(), Response.Status.fromStatusCode(e.status()).getReasonPhrase(),
                        e.getMessage(), null));
        e.headers().forEach(response::header);
        return response.build();
    }

    private static TokenRequest seedRequest(String scope, HttpHeaders headers, HttpServerRequest http) {
        Map<String, List<String>> form = scope == null ? Map.of() : Map.of("scope", List.of(scope));
        return new TokenRequest(form, null, null, http.remoteAddress().hostAddress(),
                headers.getHeaderString(HttpHeaders.USER_AGENT));
    }

    private static Response tokens(Object body, Issued issued) {
        return tokens(200, body, issued);
    }

    private static Response tokens(int status, Object body, Issued issued) {
        Response.ResponseBuilder response = Response.status(status).entity(body).header(HttpHeaders.CACHE_CONTROL, "no-store");
        issued.allowance().headers().forEach(response::header);
        return response.build();
    }
}
