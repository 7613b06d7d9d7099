package org.openitb.control;

import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openitb.clock.SystemClock;
import org.openitb.clock.Waits;

/** One request, one answer over the control socket. */
public final class ControlClient {

    /** How long to wait for an answer before calling the daemon unreachable. */
    public static final long ANSWER_TIMEOUT_SECONDS = 15;

    /** No daemon answered: exit code 3. */
    public static final class UnreachableException extends Exception {
        public UnreachableException(String message) {
            super(message);
        }
    }

    private ControlClient() {
    }

    public static JsonObject exchange(Path socket, JsonObject request) throws UnreachableException {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new UnreachableException("no daemon answers on " + socket + " (" + e.getMessage() + "); is it running?");
        }
        try (channel) {
            channel.write(ByteBuffer.wrap((request.toString() + "\n").getBytes(StandardCharsets.UTF_8)));
            BufferedReader reader = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return reader.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, task -> Thread.ofVirtual().name("control-client-read").start(task));
            String line = Waits.get(answer, new SystemClock(ZoneOffset.UTC),
                    TimeUnit.SECONDS.toNanos(ANSWER_TIMEOUT_SECONDS));
            if (line == null) {
                throw new UnreachableException("the daemon on " + socket + " closed the connection without answering");
            }
            return Json.parse(line).object();
        } catch (TimeoutException e) {
            throw new UnreachableException("the daemon on " + socket + " did not answer within " + ANSWER_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException | IOException | ProtocolException e) {
            throw new UnreachableException("the daemon on " + socket + " could not be talked to: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted");
        }
    }
}
