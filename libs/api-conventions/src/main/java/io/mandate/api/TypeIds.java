package io.mandate.api;

import java.security.SecureRandom;

/** Ids with a type prefix ({@code agt_}, {@code cred_}, ...) and 128 random bits in lowercase base32. */
public final class TypeIds {

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private TypeIds() {
    }

    public static String newId(String prefix) {
        return prefix + "_" + randomToken(16);
    }

    /** {@code bytes} random bytes as Crockford base32 (no padding). */
    public static String randomToken(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        StringBuilder out = new StringBuilder((bytes * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : random) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }
}
