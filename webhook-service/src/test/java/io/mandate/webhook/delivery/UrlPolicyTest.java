package io.mandate.webhook.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mandate.api.ProblemException;
import java.net.InetAddress;
import java.net.URI;
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
    void everySpecialPurposeRangeIsForbiddenIncludingIpv6FormsCarryingAnIpv4Address() {
        for (String url : new String[] {"https://100.64.0.1/", "https://100.100.100.200/latest/meta-data/",
                "https://100.127.255.254/", "https://192.0.0.192/", "https://198.18.0.1/", "https://198.19.255.1/",
                "https://240.0.0.1/", "https://255.255.255.255/", "https://192.0.2.1/", "https://203.0.113.9/",
                "https://224.0.0.251/", "https://0.1.2.3/",
                "https://[64:ff9b::a9fe:a9fe]/latest/meta-data/", "https://[64:ff9b::a00:1]/",
                "https://[::a9fe:a9fe]/", "https://[::ffff:10.0.0.1]/", "https://[::ffff:169.254.169.254]/",
                "https://[2002:a9fe:a9fe::1]/", "https://[2002:0a00:0001::]/", "https://[64:ff9b:1::1]/",
                "https://[2001:db8::1]/", "https://[2001::1]/", "https://[fe80::1]/", "https://[ff02::1]/",
                "https://[::]/", "https://[100::1]/"}) {
            assertEquals(403, status(strict, url), url);
        }
    }

    @Test
    void globallyReachableAddressesStayAllowed() throws Exception {
        for (String url : new String[] {"https://93.184.216.34/hook", "https://100.63.255.255/",
                "https://100.128.0.1/", "https://198.20.0.1/", "https://[2606:4700:4700::1111]/",
                "https://[64:ff9b::5db8:d822]/", "https://[2002:5db8:d822::1]/"}) {
            assertEquals(URI.create(url).getHost(), strict.check(url).getHost(), url);
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
