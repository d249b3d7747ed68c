package io.mandate.auditchain;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks an export of a tenant's trail without the service: recomputes every record's hash from its
 * event, checks each link and that no seq is missing, and checks the checkpoints given (their
 * Ed25519 signatures against the published audit keys, their hashes against the records, and that
 * none vouches for a record past the end of the export). Plain Java, no database:
 *
 * <pre>
 * mandate audit verify --export export.ndjson --keys audit-keys.json [--checkpoints checkpoints.json ...]
 * </pre>
 *
 * {@code export.ndjson} is {@code GET /v1/audit/export} (the whole trail, no {@code from}/{@code to}),
 * {@code audit-keys.json} is {@code /.well-known/audit-keys}, each {@code checkpoints.json} a page of
 * {@code GET /v1/audit/checkpoints}. Exit status 0: valid; 1: broken (the first bad seq is printed);
 * 2: the files could not be read.
 */
public final class OfflineVerifier {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    /** The outcome; {@code firstBrokenSeq} and {@code reason} are null when valid. */
    public record Result(boolean valid, long checked, Long firstBrokenSeq, String reason) {

        @Override
        public String toString() {
            return valid ? "valid: " + checked + " records" : "broken at seq " + firstBrokenSeq + ": " + reason
                    + " (" + checked + " records valid before it)";
        }
    }

    /** A checkpoint as its signed payload states it. */
    private record Signed(long id, String chain, long seq, byte[] hash) {
    }

    private OfflineVerifier() {
    }

    /**
     * @param exportLines   the export's lines, oldest first
     * @param keys          the audit keys' JWKS
     * @param checkpointSets pages of checkpoints ({@code {"items": [...]}})
     */
    public static Result verify(List<String> exportLines, String keys, List<String> checkpointSets) throws IOException {
        Map<String, byte[]> keyring = new HashMap<>();
        for (JsonNode key : JSON.readTree(keys).path("keys")) {
            keyring.put(key.path("kid").asText(), Base64.getUrlDecoder().decode(key.path("x").asText()));
        }
        // The first problem by position wins: a bad checkpoint, a bad record, or the missing tail.
        TreeMap<Long, String> problems = new TreeMap<>();
        Map<Long, Signed> signed = new HashMap<>();
        long newestSigned = 0;
        for (String set : checkpointSets) {
            for (JsonNode item : JSON.readTree(set).path("items")) {
                String payload = item.path("payload").asText();
                JsonNode stated = JSON.readTree(payload);
                long seq = stated.path("seq").asLong();
                byte[] signature = Base64.getUrlDecoder().decode(item.path("signature").asText());
                if (!ChainLinks.verifies(keyring, item.path("key_id").asText(null), payload, signature)) {
                    problems.putIfAbsent(seq, "checkpoint " + item.path("id").asLong() + " is not signed by an audit key");
                    continue;
                }
                signed.put(seq, new Signed(item.path("id").asLong(), stated.path("chain").asText(), seq,
                        HexFormat.of().parseHex(stated.path("hash").asText())));
                newestSigned = Math.max(newestSigned, seq);
            }
        }

        String chain = null;
        byte[] previous = null;
        long start = 1;
        long expected = 1;
        long checked = 0;
        for (String text : exportLines) {
            if (text.isBlank()) {
                continue;
            }
            JsonNode line = JSON.readTree(text);
            if (!line.has("seq")) {
                continue; // recorded before the trail was chained
            }
            long seq = line.path("seq").asLong();
            if (chain == null) {
                chain = line.path("chain").asText();
                start = seq;
                expected = seq;
                previous = seq == 1 ? ChainLinks.GENESIS : null; // a purged prefix: the first link is taken as exported
            }
            byte[] prev = HexFormat.of().parseHex(line.path("prev_hash").asText());
            byte[] hash = HexFormat.of().parseHex(line.path("hash").asText());
            String problem = !chain.equals(line.path("chain").asText()) ? "record of another chain"
                    : seq != expected ? "record missing"
                    : previous != null && !Arrays.equals(prev, previous) ? "link to the previous record broken"
                    : !Arrays.equals(hash, ChainLinks.hash(prev, CanonicalJson.of(line.path("event"))))
                            ? "record changed after it was written"
                    : signed.containsKey(seq) && !Arrays.equals(signed.get(seq).hash(), hash)
                            ? "differs from signed checkpoint " + signed.get(seq).id()
                    : null;
            if (problem != null) {
                problems.putIfAbsent(expected, problem);
                break;
            }
            previous = hash;
            expected++;
            checked++;
        }
        long end = expected - 1;
        if (newestSigned > end) {
            problems.putIfAbsent(end + 1, "records after seq " + end + " are missing: a checkpoint is signed for seq "
                    + newestSigned);
        }
        if (problems.isEmpty()) {
            return new Result(true, checked, null, null);
        }
        Map.Entry<Long, String> first = problems.firstEntry();
        return new Result(false, Math.max(0, Math.min(checked, first.getKey() - start)), first.getKey(), first.getValue());
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: OfflineVerifier <export.ndjson> <audit-keys.json> [checkpoints.json ...]");
            System.exit(2);
        }
        Result result;
        try {
            List<String> checkpoints = new ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                checkpoints.add(Files.readString(Path.of(args[i])));
            }
            result = verify(Files.readAllLines(Path.of(args[0])), Files.readString(Path.of(args[1])), checkpoints);
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot verify: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println(result);
        System.exit(result.valid() ? 0 : 1);
    }
}
