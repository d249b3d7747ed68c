package io.mandate.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The SSRF guard for URLs that come from outside: a host may be reached only if every address it
 * resolves to is globally reachable unicast (none of the IANA special-purpose blocks: private, shared,
 * link-local where cloud metadata lives, documentation, reserved, multicast; nor IPv6 forms carrying
 * such an IPv4 address). Loopback only where configuration allows it (development, tests). Connect to
 * the very address returned, so that DNS cannot point the connection elsewhere after the check.
 */
public final class EgressGuard {

    /** How host names become addresses; tests give a fixed table. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowLoopback;
    private final Resolver resolver;

    public EgressGuard(boolean allowLoopback, Resolver resolver) {
        this.allowLoopback = allowLoopback;
        this.resolver = resolver;
    }

    public EgressGuard(boolean allowLoopback) {
        this(allowLoopback, InetAddress::getAllByName);
    }

    /**
     * The address to connect to for {@code host} (a name, or an IP literal, IPv6 in brackets or not),
     * resolved now: the first it resolves to, or empty when any of them may not be reached.
     */
    public Optional<InetAddress> reachableAddress(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = resolver.resolve(bare);
        for (InetAddress address : addresses) {
            if (forbidden(address)) {
                return Optional.empty();
            }
        }
        return addresses.length == 0 ? Optional.empty() : Optional.of(addresses[0]);
    }

    /** Whether {@code address} may not be reached. */
    public boolean forbidden(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return !allowLoopback;
        }
        return SpecialPurposeAddresses.isSpecial(address);
    }
}
