package org.openitb.daemon;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Stands in for systemd's NOTIFY_SOCKET: a Unix datagram socket bound at a path, recording every
 * message with the monotonic time it arrived. The JDK cannot bind Unix datagram sockets, so libc
 * through JNA, as the daemon reaches libsystemd.
 */
final class NotifySocket implements AutoCloseable {

    /** One datagram and when it arrived ({@link System#nanoTime}, the same clock across processes on Linux). */
    record Message(long atNanos, String text) {
        boolean has(String assignment) {
            return text.lines().anyMatch(assignment::equals);
        }

        Optional<String> value(String name) {
            return text.lines().filter(l -> l.startsWith(name + "=")).map(l -> l.substring(name.length() + 1)).findFirst();
        }
    }

    interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        int bind(int fd, byte[] address, int length);

        int setsockopt(int fd, int level, int name, byte[] value, int length);

        long recv(int fd, byte[] buffer, long length, int flags);

        int close(int fd);
    }

    private static final LibC LIBC = Native.load("c", LibC.class);
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;

    final Path path;
    private final int fd;
    private final List<Message> received = new ArrayList<>();
    private final Thread reader;
    private volatile boolean open = true;

    NotifySocket(Path path) throws IOException {
        this.path = path;
        Files.deleteIfExists(path);
        fd = LIBC.socket(AF_UNIX, SOCK_DGRAM, 0);
        if (fd < 0) {
            throw new IOException("socket(AF_UNIX, SOCK_DGRAM) failed");
        }
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        byte[] address = new byte[2 + name.length + 1];
        address[0] = AF_UNIX; // sa_family_t, little-endian on every Pi and PC this runs on
        System.arraycopy(name, 0, address, 2, name.length);
        if (LIBC.bind(fd, address, address.length) != 0) {
            LIBC.close(fd);
            throw new IOException("bind " + path + " failed");
        }
        ByteBuffer timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(0).putLong(100_000); // struct timeval: 100 ms
        LIBC.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout.array(), 16);
        reader = Thread.ofPlatform().name("notify-socket").daemon(true).start(this::read);
    }

    private void read() {
        byte[] buffer = new byte[4096];
        while (open) {
            long n = LIBC.recv(fd, buffer, buffer.length, 0);
            if (n > 0) {
                Message m = new Message(System.nanoTime(), new String(buffer, 0, (int) n, StandardCharsets.UTF_8));
                synchronized (received) {
                    received.add(m);
                    received.notifyAll();
                }
            }
        }
    }

    /** Every message so far, oldest first. */
    List<Message> messages() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Waits for the first message from index {@code from} on that matches; fails after {@code limit}. */
    Message await(int from, Predicate<Message> matching, Duration limit, String what) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        synchronized (received) {
            while (true) {
                for (int i = from; i < received.size(); i++) {
                    if (matching.test(received.get(i))) {
                        return received.get(i);
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + what + " within " + limit + "; received: " + received);
                }
                received.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        reader.join();
        LIBC.close(fd);
    }
}
