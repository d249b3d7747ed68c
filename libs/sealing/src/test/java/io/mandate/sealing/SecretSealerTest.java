package io.mandate.sealing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretSealerTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final byte[] SECRET = "private key bytes".getBytes(StandardCharsets.UTF_8);

    @Test
    void sealedSecretOpensWithSameKeyAndContext() {
        SecretSealer sealer = SecretSealer.fromBase64(KEY);
        assertArrayEquals(SECRET, sealer.open(sealer.seal(SECRET, "kid-1"), "kid-1"));
    }

    @Test
    void tamperedOrMovedSecretIsRefused() {
        SecretSealer sealer = SecretSealer.fromBase64(KEY);
        byte[] sealed = sealer.seal(SECRET, "kid-1");
        assertThrows(SecretSealer.SealBrokenException.class, () -> sealer.open(sealed, "kid-2"));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(SecretSealer.SealBrokenException.class, () -> sealer.open(sealed, "kid-1"));
    }

    @Test
    void otherKeyCannotOpen() {
        byte[] sealed = SecretSealer.fromBase64(KEY).seal(SECRET, "kid-1");
        byte[] other = new byte[32];
        other[0] = 1;
        SecretSealer wrong = SecretSealer.fromBase64(Base64.getEncoder().encodeToString(other));
        assertThrows(SecretSealer.SealBrokenException.class, () -> wrong.open(sealed, "kid-1"));
    }

    @Test
    void shortKeyIsAConfigurationError() {
        assertThrows(IllegalStateException.class,
                () -> SecretSealer.fromBase64(Base64.getEncoder().encodeToString(new byte[16])));
    }
}
