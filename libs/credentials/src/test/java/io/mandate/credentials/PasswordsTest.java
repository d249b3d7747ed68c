package io.mandate.credentials;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordsTest {

    @Test
    void theSamePasswordMatchesAndAnotherDoesNot() {
        String stored = Passwords.hash("correct horse battery");
        assertTrue(stored.startsWith("pbkdf2-sha256$600000$"), stored);
        assertTrue(Passwords.matches("correct horse battery", stored));
        assertFalse(Passwords.matches("correct horse batterY", stored));
    }

    @Test
    void eachHashHasItsOwnSalt() {
        assertNotEquals(Passwords.hash("correct horse battery"), Passwords.hash("correct horse battery"));
    }

    @Test
    void malformedStoredHashesNeverMatch() {
        assertFalse(Passwords.matches("x", null));
        assertFalse(Passwords.matches("x", "plain"));
        assertFalse(Passwords.matches("x", "pbkdf2-sha256$abc$AAAA$AAAA"));
        assertFalse(Passwords.matches("x", "md5$1$AAAA$AAAA"));
        assertFalse(Passwords.matches("x", "pbkdf2-sha256$1000$!!!$AAAA"));
    }
}
