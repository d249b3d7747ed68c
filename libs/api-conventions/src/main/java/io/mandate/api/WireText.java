package io.mandate.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text as it arrives on the wire (a URL, a form, HTTP Basic credentials, JSON strings): decoded strictly,
 * and refused when it could not be stored — invalid UTF-8, a NUL character, an unpaired surrogate —
 * instead of being passed on to fail in the database.
 */
public final class WireText {

    private WireText() {
    }

    /** Why {@code text} cannot be stored, or null when it can. */
    public static String unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return "contains a NUL character";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired surrogate";
            }
        }
        return null;
    }

    /**
     * Decodes percent-escapes (and, in a form, {@code +} as a space) strictly as UTF-8.
     *
     * @throws IllegalArgumentException saying what is wrong: a broken escape, invalid UTF-8, unstorable text
     */
    public static String percentDecoded(String text, boolean form) {
        if (text.indexOf('%') < 0 && (!form || text.indexOf('+') < 0)) {
            return checked(text);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0
                        || Character.digit(text.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("has a broken percent-escape");
                }
                bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else if (form && c == '+') {
                bytes.write(' ');
            } else {
                int codePoint = text.codePointAt(i);
                if (Character.isSurrogate(c) && !Character.isSupplementaryCodePoint(codePoint)) {
                    throw new IllegalArgumentException("contains an unpaired surrogate");
                }
                byte[] raw = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        try {
            return checked(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("is not valid UTF-8");
        }
    }

    private static String checked(String text) {
        String problem = unstorable(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return text;
    }
}
