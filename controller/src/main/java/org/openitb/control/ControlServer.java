package org.openitb.control;

import com.google.gson.JsonObject;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.openitb.clock.Clock;
import org.tinylog.Logger;

/**
 * The control socket: a Unix domain socket, owner-only (mode 0600, and every peer's credentials
 * checked), speaking one JSON object per line each way. Everything is bounded: line length,
 * connections at once, idle time. A client that sends junk gets a one-line error; a client that
 * idles or never reads is cut off; none of it can reach the dose loop except as a queued command.
 */
public final class ControlServer implements AutoCloseable {

    public static final int MAX_LINE_BYTES = 16 * 1024;
    public static final int MAX_CONNECTIONS = 8;
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final Path path;
    /** The socket file this server made (its inode): on close it removes that file only, never one another daemon made since. */
    private volatile Object fileKey;
    private final ServerSocketChannel server;
    private final ControlService service;
    private final Clock realClock;
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final Map<SocketChannel, AtomicLong> open = new ConcurrentHashMap<>();
    private final UserPrincipal owner;
    private final Thread acceptor;
    private final Thread reaper;
    private final long idleTimeoutNanos;
    private volatile boolean running = true;

    private ControlServer(Path path, ServerSocketChannel server, ControlService service, Clock realClock, Duration idleTimeout)
            throws IOException {
        this.path = path;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.server = server;
        this.service = service;
        this.realClock = realClock;
        this.owner = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
        this.acceptor = Thread.ofPlatform().name("control-accept").daemon(true).unstarted(this::acceptLoop);
        this.reaper = Thread.ofPlatform().name("control-reaper").daemon(true).unstarted(this::reapLoop);
    }

    /**
     * Binds {@code path} and starts serving. A stale socket file is replaced; a live one (another
     * daemon answering) is refused. Idle timeouts run on {@code realClock}, whatever speed the pump runs at.
     */
    public static ControlServer start(Path path, ControlService service, Clock realClock) throws IOException {
        return start(path, service, realClock, IDLE_TIMEOUT);
    }

    /** As {@link #start(Path, ControlService, Clock)} with another idle timeout. */
    public static ControlServer start(Path path, ControlService service, Clock realClock, Duration idleTimeout) throws IOException {
        Objects.requireNonNull(service, "service");
        Path absolute = path.toAbsolutePath();
        Path dir = absolute.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.readAttributes(absolute, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).isOther()) {
                throw new IOException(absolute + " exists and is not a socket; control.socket must name a path of its own");
            }
            if (answers(absolute)) {
                throw new IOException("another daemon answers on " + absolute + "; stop it first");
            }
            Files.delete(absolute); // nobody answers: a socket left by a daemon that died
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(absolute), MAX_CONNECTIONS);
        Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rw-------"));
        ControlServer control = new ControlServer(absolute, server, service, Objects.requireNonNull(realClock, "realClock"), idleTimeout);
        control.fileKey = fileKey(absolute);
        control.acceptor.start();
        control.reaper.start();
        return control;
    }

    public Path path() {
        return path;
    }

    private static boolean answers(Path socket) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void acceptLoop() {
        while (running) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                Logger.error("control socket accept failed: {}", e.getMessage());
                continue;
            }
            if (!slots.tryAcquire()) {
                refuse(channel, "too many control connections (" + MAX_CONNECTIONS + "); try again");
                continue;
            }
            Thread.ofPlatform().name("control-connection").daemon(true).start(() -> {
                try {
                    serve(channel);
                } finally {
                    slots.release();
                }
            });
        }
    }

    private void serve(SocketChannel channel) {
        AtomicLong activity = new AtomicLong(realClock.nanos());
        open.put(channel, activity);
        try (channel) {
            String who = peer(channel);
            if (who == null) {
                return;
            }
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel));
            while (running) {
                byte[] line = readLine(in);
                if (line == null) {
                    return;
                }
                activity.set(realClock.nanos());
                if (line.length > MAX_LINE_BYTES) {
                    write(channel, ControlService.error(2, "request longer than " + MAX_LINE_BYTES + " bytes; connection closed"));
                    return;
                }
                String text;
                try {
                    text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line)).toString();
                } catch (CharacterCodingException e) {
                    write(channel, ControlService.error(2, "request is not UTF-8 text"));
                    continue;
                }
                JsonObject response = service.handle(text, who);
                // The idle time counts from here, before the write: a peer that never reads is idle too.
                activity.set(realClock.nanos());
                write(channel, response);
            }
        } catch (IOException e) {
            Logger.debug("control connection ended: {}", e.getMessage());
        } finally {
            open.remove(channel);
        }
    }

    /** The peer's user name if it may use the socket (the daemon's own user, or root); otherwise refuses it. */
    private String peer(SocketChannel channel) throws IOException {
        UnixDomainPrincipal principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        String name = principal.user().getName();
        if (!principal.user().equals(owner) && !"root".equals(name)) {
            Logger.warn("control socket: refused user {}", name);
            write(channel, ControlService.error(2, "user " + name + " may not control this pump"));
            return null;
        }
        return name;
    }

    /** A line without its newline, or null at the end; beyond the limit it stops reading and returns an over-long marker. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return line.toByteArray();
            }
            if (line.size() > MAX_LINE_BYTES) {
                return new byte[MAX_LINE_BYTES + 1];
            }
            line.write(b);
        }
        return null; // a half line at the end is not a request
    }

    private static void write(SocketChannel channel, JsonObject response) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((response.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    private static void refuse(SocketChannel channel, String why) {
        try (channel) {
            write(channel, ControlService.error(1, why));
        } catch (IOException e) {
            Logger.debug("refused connection went away: {}", e.getMessage());
        }
    }

    /** Closes connections idle (not sending, or not reading so the answer cannot be written) past the timeout. */
    private void reapLoop() {
        long timeout = idleTimeoutNanos;
        while (running) {
            long now = realClock.nanos();
            long next = now + timeout;
            for (Map.Entry<SocketChannel, AtomicLong> e : open.entrySet()) {
                long deadline = e.getValue().get() + timeout;
                if (now - deadline >= 0) {
                    try {
                        e.getKey().close();
                    } catch (IOException ex) {
                        Logger.debug("closing an idle control connection: {}", ex.getMessage());
                    }
                } else {
                    next = Math.min(next, deadline);
                }
            }
            realClock.parkUntil(next);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            server.close();
        } catch (IOException e) {
            Logger.debug("closing the control socket: {}", e.getMessage());
        }
        for (SocketChannel channel : open.keySet()) {
            try {
                channel.close();
            } catch (IOException e) {
                Logger.debug("closing a control connection: {}", e.getMessage());
            }
        }
        LockSupport.unpark(reaper);
        try {
            Object now = fileKey(path);
            if (now != null && now.equals(fileKey)) {
                Files.deleteIfExists(path);
            } else if (now != null) {
                // Its state directory was removed under it and another daemon started there: the socket is that one's.
                Logger.warn("{} is another daemon's socket now; left in place", path);
            }
        } catch (IOException e) {
            Logger.warn("could not remove {}: {}", path, e.getMessage());
        }
    }

    /** The inode of the file at {@code socket}, or null if there is none (or the file system keeps none). */
    private static Object fileKey(Path socket) throws IOException {
        try {
            return Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
