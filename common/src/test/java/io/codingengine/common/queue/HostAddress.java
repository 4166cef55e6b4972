package io.codingengine.common.queue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Optional;

/** Where other hosts would reach this one, for the tests of listening beyond loopback. */
public final class HostAddress {

    private HostAddress() {}

    /** An IPv4 address of an interface that is up and is not loopback, if this host has one. */
    public static Optional<String> nonLoopback() {
        try {
            return NetworkInterface.networkInterfaces()
                    .filter(HostAddress::upAndNotLoopback)
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> a instanceof Inet4Address)
                    .map(InetAddress::getHostAddress)
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private static boolean upAndNotLoopback(NetworkInterface nic) {
        try {
            return nic.isUp() && !nic.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
