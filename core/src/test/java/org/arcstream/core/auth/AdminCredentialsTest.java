package org.arcstream.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdminCredentialsTest {

    @Test
    void onlyTheConfiguredUserAndPasswordMatch() {
        AdminCredentials c = AdminCredentials.of("admin", "s3cret", false, "X_PASSWORD");
        assertTrue(c.matches("admin", "s3cret"));
        assertFalse(c.matches("admin", "s3cret "));
        assertFalse(c.matches("admin", "s3cre"));
        assertFalse(c.matches("Admin", "s3cret"));
        assertFalse(c.matches(null, null));
        assertTrue(c.generatedPassword().isEmpty(), "a configured password is never handed out");
    }

    @Test
    void noPasswordIsRefusedNamingTheSettingUnlessARandomOneIsAllowed() {
        for (String missing : new String[] {null, "", "   "}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AdminCredentials.of("admin", missing, false, "X_PASSWORD (x.password)"));
            assertTrue(e.getMessage().contains("X_PASSWORD (x.password)"), e.getMessage());
        }
        AdminCredentials first = AdminCredentials.of("admin", null, true, "X_PASSWORD");
        String random = first.generatedPassword().orElseThrow();
        assertTrue(random.length() >= 20, random);
        assertTrue(first.matches("admin", random));
        assertFalse(first.matches("admin", ""), "no password is not the password");
        assertNotEquals(random, AdminCredentials.of("admin", "", true, "X_PASSWORD").generatedPassword().orElseThrow());
    }

    @Test
    void anEmptyUserNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AdminCredentials.of(" ", "s3cret", false, "X_PASSWORD"));
        assertEquals("admin", AdminCredentials.of("admin", "s3cret", false, "X").username());
    }
}
