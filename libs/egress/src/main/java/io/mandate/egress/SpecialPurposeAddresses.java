package io.mandate.egress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The address blocks of the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and later)
 * that are not globally reachable, plus multicast and the reserved 240/4: an outside URL may lead to none of
 * them. IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4)
 * are judged by the IPv4 address they carry.
 */
public final class SpecialPurposeAddresses {

    private record Block(byte[] prefix, int bits) {

        static Block of(String cidr) {
            String[] parts = cidr.split("/");
            try {
                return new Block(InetAddress.getByName(parts[0]).getAddress(), Integer.parseInt(parts[1]));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final List<Block> V4 = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24",
            "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24",
            "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32").stream().map(Block::of).toList();

    private static final List<Block> V6 = List.of("::/128", "::1/128", "64:ff9b:1::/48", "100::/64", "2001::/23",
            "2001:db8::/32", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8")
            .stream().map(Block::of).toList();

    private static final byte[] NAT64 = HexFormat.of().parseHex("0064ff9b0000000000000000");
    private static final byte[] SIX_TO_FOUR = {0x20, 0x02};

    private SpecialPurposeAddresses() {
    }

    public static boolean isSpecial(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return v4(bytes);
        }
        byte[] head = Arrays.copyOf(bytes, 12);
        if (Arrays.equals(head, new byte[12])) {
            // IPv4-compatible ::a.b.c.d (deprecated), and :: and ::1 themselves.
            return true;
        }
        if (Arrays.equals(head, NAT64)) {
            return v4(Arrays.copyOfRange(bytes, 12, 16));
        }
        if (bytes[0] == SIX_TO_FOUR[0] && bytes[1] == SIX_TO_FOUR[1]) {
            return v4(Arrays.copyOfRange(bytes, 2, 6));
        }
        return V6.stream().anyMatch(block -> block.contains(bytes));
    }

    private static boolean v4(byte[] bytes) {
        return V4.stream().anyMatch(block -> block.contains(bytes));
    }
}
