package io.mandate.cli.commands;

import io.mandate.cli.Exit;
import io.mandate.cli.Secrets;
import io.mandate.cli.UsageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "webhook", mixinStandardHelpOptions = true, description = "One webhook delivery.",
        subcommands = WebhookCommand.Verify.class)
public class WebhookCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Checks a saved delivery's Standard Webhooks signature.",
                    "webhook-id, webhook-timestamp and webhook-signature against the endpoint's secret (whsec_…),",
                    "read from standard input or a file.",
                    "Headers from a file of `Name: value` lines (curl -D) or the options. Exit 0: valid; 1: not."})
    static class Verify extends BaseCommand {
        @Option(names = "--body", required = true, paramLabel = "FILE", description = "The delivery's body, byte for byte.")
        Path body;
        @Option(names = "--headers", paramLabel = "FILE")
        Path headers;
        @Option(names = "--id")
        String id;
        @Option(names = "--timestamp")
        String timestamp;
        @Option(names = "--signature")
        String signature;
        @Option(names = "--secret-stdin")
        boolean secretStdin;
        @Option(names = "--secret-file", paramLabel = "FILE")
        Path secretFile;
        @Option(names = "--tolerance", defaultValue = "PT5M", description = "How old the timestamp may be (default 5 min).")
        Duration tolerance;
        @Option(names = "--ignore-time", description = "Skip the timestamp check (a delivery saved long ago).")
        boolean ignoreTime;

        @Override
        public Integer call() throws Exception {
            Map<String, String> given = headers == null ? new LinkedHashMap<>() : parse(Files.readString(headers));
            String msgId = id != null ? id : given.get("webhook-id");
            String ts = timestamp != null ? timestamp : given.get("webhook-timestamp");
            String signatures = signature != null ? signature : given.get("webhook-signature");
            if (msgId == null || ts == null || signatures == null) {
                throw new UsageException("webhook-id, webhook-timestamp and webhook-signature are needed (--headers or "
                        + "--id, --timestamp, --signature)");
            }
            String secret = Secrets.read(secretFile, secretStdin, "webhook secret");
            String reason = check(secret, msgId, ts, signatures, Files.readAllBytes(body));
            if (reason == null) {
                out().println("valid: signed by the endpoint's secret (message " + msgId + ")");
                return Exit.OK;
            }
            out().println("invalid: " + reason);
            return Exit.REFUSED;
        }

        /** Why the delivery is not genuine, or null when it is. */
        String check(String secret, String msgId, String ts, String signatures, byte[] payload) throws Exception {
            long seconds;
            try {
                seconds = Long.parseLong(ts.strip());
            } catch (NumberFormatException e) {
                return "webhook-timestamp is not a number of seconds";
            }
            if (!ignoreTime && Duration.between(Instant.ofEpochSecond(seconds), Instant.now()).abs().compareTo(tolerance) > 0) {
                return "webhook-timestamp " + Instant.ofEpochSecond(seconds) + " is outside the tolerance of " + tolerance
                        + " (a replay?); --ignore-time checks an old delivery";
            }
            String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(encoded), "HmacSHA256"));
            mac.update((msgId + "." + seconds + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(payload);
            for (String entry : signatures.strip().split(" +")) {
                int comma = entry.indexOf(',');
                if (comma > 0 && entry.substring(0, comma).equals("v1")) {
                    try {
                        if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(entry.substring(comma + 1)))) {
                            return null;
                        }
                    } catch (IllegalArgumentException notBase64) {
                        // another entry may still match
                    }
                }
            }
            return "no v1 signature matches the secret (a changed body, or another endpoint's secret)";
        }

        private static Map<String, String> parse(String text) {
            Map<String, String> out = new LinkedHashMap<>();
            for (String line : text.split("\r?\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    out.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
                }
            }
            return out;
        }
    }
}
