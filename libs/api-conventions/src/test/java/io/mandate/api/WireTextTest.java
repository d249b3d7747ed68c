package io.mandate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WireTextTest {

    private static String refusal(String text, boolean form) {
        return assertThrows(IllegalArgumentException.class, () -> WireText.percentDecoded(text, form)).getMessage();
    }

    @Test
    void decodesEscapesPlusesAndTextBeyondTheBasicPlane() {
        assertEquals("A b€", WireText.percentDecoded("%41+b%E2%82%AC", true));
        assertEquals("A+b", WireText.percentDecoded("%41+b", false));
        assertEquals("agt_😀", WireText.percentDecoded("agt_%F0%9F%98%80", false));
        assertEquals("agt_😀", WireText.percentDecoded("agt_😀", false));
    }

    @Test
    void refusesWhatCouldNotBeStored() {
        assertEquals("contains a NUL character", refusal("agt_%00x", true));
        assertEquals("contains a NUL character", refusal("a\0b", false));
        assertEquals("is not valid UTF-8", refusal("%ED%A0%80", false), "an encoded lone surrogate");
        assertEquals("is not valid UTF-8", refusal("%ff", true));
        assertEquals("contains an unpaired surrogate", refusal("a\ud800b", false));
        assertEquals("has a broken percent-escape", refusal("%zz", true));
        assertEquals("has a broken percent-escape", refusal("abc%4", true));
    }

    @Test
    void tellsStorableTextFromUnstorable() {
        assertNull(WireText.unstorable("plain 😀 text"));
        assertEquals("contains an unpaired surrogate", WireText.unstorable("\udc00"));
        assertEquals("contains an unpaired surrogate", WireText.unstorable("x\ud83d"));
        assertEquals("contains a NUL character", WireText.unstorable("\u0000"));
    }

    @Test
    void aRequestTargetIsRefusedForItsPathOrAnyQueryParameter() {
        assertNull(RequestEdge.badTarget("/v1/agents?limit=10&owner=a%40b.example"));
        assertEquals("the path contains a NUL character", RequestEdge.badTarget("/v1/agents/agt_%00"));
        assertEquals("a query parameter is not valid UTF-8", RequestEdge.badTarget("/v1/audit/events?agent_id=%C0%80"));
        assertEquals("a query parameter has a broken percent-escape", RequestEdge.badTarget("/x?a=%"));
    }
}
