package dev.basalt.iscsi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the target listens and the limits it offers in login negotiation.
 *
 * @param host address to listen on (Cinder's {@code target_ip_address}); also the portal address
 *     given in connection info
 * @param port TCP port (Cinder's {@code target_port}); 0 picks a free one
 * @param portalGroupTag the target portal group tag reported at login and in SendTargets
 * @param maxRecvDataSegmentLength the largest data segment the target accepts (declared at login)
 * @param maxBurstLength the largest burst offered (the initiator's offer may lower it)
 * @param firstBurstLength the most unsolicited data offered per command
 * @param maxOutstandingR2T R2Ts offered per command
 * @param commandWindow commands an initiator may have queued (MaxCmdSN - ExpCmdSN + 1)
 * @param ioBufferSize bytes read from a backing file per step when serving a read
 * @param loginTimeout how long a connection may take to finish login before it is closed
 * @param maxConnections connections served at once; more are closed at once
 */
public record TargetConfig(String host, int port, int portalGroupTag, int maxRecvDataSegmentLength,
                           int maxBurstLength, int firstBurstLength, int maxOutstandingR2T,
                           int commandWindow, int ioBufferSize, Duration loginTimeout, int maxConnections) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 3260;
    private static final int MAX_SEGMENT = (1 << 24) - 1;

    public TargetConfig {
        requireNonNull(host, "host");
        requireNonNull(loginTimeout, "loginTimeout");
        check(port, 0, 65535, "port");
        check(portalGroupTag, 1, 65535, "portalGroupTag");
        check(maxRecvDataSegmentLength, 512, MAX_SEGMENT, "maxRecvDataSegmentLength");
        check(maxBurstLength, 512, MAX_SEGMENT, "maxBurstLength");
        check(firstBurstLength, 512, maxBurstLength, "firstBurstLength");
        check(maxOutstandingR2T, 1, 65535, "maxOutstandingR2T");
        check(commandWindow, 1, 1 << 16, "commandWindow");
        check(ioBufferSize, 4096, 64 << 20, "ioBufferSize");
        check(maxConnections, 1, 1 << 20, "maxConnections");
        if (loginTimeout.isNegative() || loginTimeout.isZero()) {
            throw new IllegalArgumentException("loginTimeout must be positive");
        }
    }

    /** 127.0.0.1:3260 with limits that suit QEMU, the Linux initiator and libiscsi. */
    public static TargetConfig defaults() {
        return new TargetConfig(DEFAULT_HOST, DEFAULT_PORT, 1, 256 * 1024, 8 << 20, 8 << 20, 16,
                128, 1 << 20, Duration.ofSeconds(15), 4096);
    }

    public TargetConfig withAddress(String newHost, int newPort) {
        return new TargetConfig(newHost, newPort, portalGroupTag, maxRecvDataSegmentLength, maxBurstLength,
                firstBurstLength, maxOutstandingR2T, commandWindow, ioBufferSize, loginTimeout, maxConnections);
    }

    public TargetConfig withLoginTimeout(Duration timeout) {
        return new TargetConfig(host, port, portalGroupTag, maxRecvDataSegmentLength, maxBurstLength,
                firstBurstLength, maxOutstandingR2T, commandWindow, ioBufferSize, timeout, maxConnections);
    }

    public TargetConfig withMaxRecvDataSegmentLength(int length) {
        return new TargetConfig(host, port, portalGroupTag, length, maxBurstLength,
                firstBurstLength, maxOutstandingR2T, commandWindow, ioBufferSize, loginTimeout, maxConnections);
    }

    private static void check(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + value);
        }
    }
}
