package io.mandate.webhook.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mandate.api.ProblemException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UrlPolicyTest {

    /** Names resolve through this table only; anything else is unknown, as offline. */
    private static final Map<String, String> DNS = Map.of(
            "hooks.example.com", "93.184.216.34",
            "intranet.example.com", "10.0.0.7",
            "metadata.example.com", "169.254.169.254",
            "mixed.example.com", "93.184.216.35,10.0.0.8",
            "localhost", "127.0.0.1");

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String address = DNS.getOrDefault(host, host.matches("[0-9a-fA-F:.]+") ? host : null);
        if (address == null) {
            throw new UnknownHostException(host);
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (String one : address.split(",")) {
            addresses.add(InetAddress.getByName(one));
        }
        return addresses.toArray(InetAddress[]::new);
    }

    private final UrlPolicy strict = new UrlPolicy(false, false, UrlPolicyTest::resolve);

    private static int status(UrlPolicy policy, String url) {
        return assertThrows(ProblemException.class, () -> policy.check(url)).problem().status();
    }

    @Test
    void internalTargetsAreForbidden() {
        for (String url : new String[] {"https://127.0.0.1/hook", "https://localhost/hook", "https://[::1]/hook",
                "https://10.1.2.3/hook", "https://192.168.1.10/hook", "https://172.16.0.5/hook",
                "https://169.254.169.254/latest/meta-data", "https://[fd00::1]/hook", "https://0.0.0.0/hook",
                "https://intranet.example.com/hook", "https://metadata.example.com/hook"}) {
            assertEquals(403, status(strict, url), url);
        }
    }

    @Test
    void publicHttpsIsAllowedAndOnlyHttpsUnlessConfigured() throws Exception {
        assertEquals("hooks.example.com", strict.check("https://hooks.example.com/hook").getHost());
        assertEquals(400, status(strict, "http://hooks.example.com/hook"));
        assertEquals(400, status(strict, "ftp://hooks.example.com/hook"));
        assertEquals(400, status(strict, "https://user:pw@hooks.example.com/hook"));
        assertEquals(400, status(strict, "not a url"));
        UrlPolicy development = new UrlPolicy(true, true, UrlPolicyTest::resolve);
        development.check("http://127.0.0.1:9999/hook");
        assertEquals(403, status(development, "http://10.0.0.1/hook"), "loopback allowed does not open private ranges");
    }

    @Test
    void deliveryTimeChecksSeeDnsChanges() throws Exception {
        assertEquals(false, strict.resolvesToForbidden("hooks.example.com"));
        assertEquals(true, strict.resolvesToForbidden("intranet.example.com"));
        assertEquals(true, strict.resolvesToForbidden("[::1]"));
    }

    @Test
    void aDeliveryGetsTheAddressThatWasCheckedAndNoneIfAnyIsInternal() throws Exception {
        assertEquals(Optional.of(InetAddress.getByName("93.184.216.34")), strict.reachableAddress("hooks.example.com"));
        assertEquals(Optional.empty(), strict.reachableAddress("mixed.example.com"), "one internal address is enough");
        assertEquals(Optional.empty(), strict.reachableAddress("metadata.example.com"));
        assertThrows(UnknownHostException.class, () -> strict.reachableAddress("nowhere.example.com"));
    }
}
