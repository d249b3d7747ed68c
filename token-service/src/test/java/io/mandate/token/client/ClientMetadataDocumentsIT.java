package io.mandate.token.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mandate.token.ClientMetadataServer;
import io.mandate.token.ClientMetadataServer.Answer;
import io.mandate.token.client.ClientMetadataDocuments.BadClientMetadataException;
import io.mandate.token.client.ClientMetadataDocuments.Document;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fetching clients' metadata documents from a real https server: what is accepted, every refusal with
 * its reason, and that no URL is fetched twice within its cache lifetime, whatever it answered.
 */
@QuarkusTest
@QuarkusTestResource(ClientMetadataServer.class)
class ClientMetadataDocumentsIT {

    @Inject
    ClientMetadataDocuments documents;

    /** Asks twice: the same refusal both times, and one fetch at most. */
    private String refusedTwice(String url) {
        String first = assertThrows(BadClientMetadataException.class, () -> documents.document(url)).getMessage();
        String second = assertThrows(BadClientMetadataException.class, () -> documents.document(url)).getMessage();
        assertEquals(first, second);
        return first;
    }

    @Test
    void aDocumentThatNamesItselfDescribesTheClientAndIsKept() {
        String path = "/clients/notes.json";
        ClientMetadataServer.answer(path, Answer.json(ClientMetadataServer.document(path, "Notes MCP client",
                List.of("http://127.0.0.1:33418/callback")), "Cache-Control", "max-age=0"));
        Document document = documents.document(ClientMetadataServer.url(path));
        assertEquals("Notes MCP client", document.name());
        assertEquals(List.of("http://127.0.0.1:33418/callback"), document.redirectUris());
        assertEquals("127.0.0.1", document.host());
        assertEquals("https://cdn.example.com/logo.png", document.logoUri());
        documents.document(ClientMetadataServer.url(path));
        assertEquals(1, ClientMetadataServer.fetches(path), "kept for the shortest lifetime even when max-age=0");
    }

    @Test
    void aUrlThatResolvesToAPrivateAddressIsNeverFetched() {
        for (String url : List.of("https://10.255.255.1/client.json", "https://169.254.169.254/latest/meta-data/client",
                "https://[fd00::1]/client.json", "https://192.168.1.10/client.json")) {
            assertTrue(refusedTwice(url).contains("private, loopback, link-local"), url);
        }
    }

    @Test
    void aDocumentLargerThanTheLimitIsRefusedWithOrWithoutItsLength() {
        String big = "/clients/big.json";
        String padded = ClientMetadataServer.document(big, "x".repeat(6000), List.of("https://app.example/cb"));
        ClientMetadataServer.answer(big, Answer.json(padded));
        assertTrue(refusedTwice(ClientMetadataServer.url(big)).contains("larger than 5120 bytes"));
        assertEquals(1, ClientMetadataServer.fetches(big));
        String chunked = "/clients/chunked.json";
        ClientMetadataServer.answer(chunked, Answer.json(ClientMetadataServer.document(chunked, "y".repeat(6000),
                List.of("https://app.example/cb")), "X-Chunked", "yes"));
        assertTrue(refusedTwice(ClientMetadataServer.url(chunked)).contains("larger than 5120 bytes"));
        assertEquals(1, ClientMetadataServer.fetches(chunked));
    }

    @Test
    void aDocumentThatNamesAnotherClientIdIsRefused() {
        String path = "/clients/impostor.json";
        ClientMetadataServer.answer(path, Answer.json(ClientMetadataServer.document("/clients/someone-else.json",
                "Impostor", List.of("https://app.example/cb"))));
        assertTrue(refusedTwice(ClientMetadataServer.url(path)).contains("client_id is not the URL it was fetched from"));
        assertEquals(1, ClientMetadataServer.fetches(path));
    }

    @Test
    void aSlowServerIsRefusedAfterTheTimeout() {
        String path = "/clients/slow.json";
        ClientMetadataServer.answer(path, new Answer(200, ClientMetadataServer.document(path, "Slow",
                List.of("https://app.example/cb")), Map.of(), Duration.ofSeconds(3)));
        long started = System.nanoTime();
        assertTrue(refusedTwice(ClientMetadataServer.url(path)).contains("did not answer within 1000 ms"));
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(3).toNanos(), "gave up before the server answered");
        assertEquals(1, ClientMetadataServer.fetches(path));
    }

    @Test
    void documentsThatAreNotForAPublicBrowserClientAreRefused() {
        Map<String, String> cases = Map.of(
                "/clients/secret.json", "\"client_secret\":\"s3cret\",",
                "/clients/basic.json", "\"token_endpoint_auth_method\":\"client_secret_basic\",",
                "/clients/implicit.json", "\"grant_types\":[\"implicit\"],");
        cases.forEach((path, extra) -> {
            String document = ClientMetadataServer.document(path, "Odd", List.of("https://app.example/cb"))
                    .replaceFirst("\\{", "{" + extra).replace(",\"token_endpoint_auth_method\":\"none\"",
                            extra.contains("token_endpoint") ? "" : ",\"token_endpoint_auth_method\":\"none\"")
                    .replace("\"grant_types\":[\"authorization_code\",\"refresh_token\"],",
                            extra.contains("grant_types") ? "" : "\"grant_types\":[\"authorization_code\",\"refresh_token\"],");
            ClientMetadataServer.answer(path, Answer.json(document));
            String refusal = refusedTwice(ClientMetadataServer.url(path));
            assertTrue(refusal.contains("secret") || refusal.contains("public") || refusal.contains("grant_types"), refusal);
            assertTrue(!refusal.contains("s3cret"), "a secret is never repeated");
        });
        ClientMetadataServer.answer("/clients/javascript.json", Answer.json(ClientMetadataServer.document(
                "/clients/javascript.json", "Evil", List.of("javascript:alert(1)"))));
        assertTrue(refusedTwice(ClientMetadataServer.url("/clients/javascript.json")).contains("redirect URI"));
    }

    @Test
    void aRedirectIsNotFollowedAndAnUrlWithoutAPathIsNoClientId() {
        String path = "/clients/moved.json";
        ClientMetadataServer.answer(path, new Answer(302, "", Map.of("Location", "https://10.0.0.1/client.json"),
                Duration.ZERO));
        assertTrue(refusedTwice(ClientMetadataServer.url(path)).contains("answered 302 (redirects are not followed)"));
        assertTrue(refusedTwice(ClientMetadataServer.url("/")).contains("https URL with a path"));
        assertTrue(refusedTwice("https://127.0.0.1/a/../b.json").contains("dot segments"));
    }
}
