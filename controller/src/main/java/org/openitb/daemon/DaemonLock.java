package org.openitb.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One daemon per state directory: an exclusive lock, taken before the pump's memory is read or
 * written and held for the daemon's life. A second copy started by mistake must not journal a
 * restart, number events, set a database aside or touch the pins of the one that is dosing; the
 * kernel drops the lock when its holder dies, so a kill -9 leaves nothing to clean up.
 */
final class DaemonLock implements AutoCloseable {

    static final String FILE = "daemon.lock";
    /** The holder's pid is a few digits; anything longer in the file is not ours to show. */
    private static final int HOLDER_MAX_BYTES = 32;

    private final FileChannel channel;
    private final FileLock lock;

    private DaemonLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock on {@code stateDir} for process {@code pid}, or says who holds it. */
    static DaemonLock acquire(Path stateDir, long pid) throws IOException {
        Path file = stateDir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process: a second daemon in one JVM is still a second daemon
            }
            if (lock == null) {
                String holder = holder(channel);
                throw new IOException("another daemon" + (holder.isEmpty() ? "" : " (pid " + holder + ")") + " is running on "
                        + stateDir.toAbsolutePath() + "; stop it first");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(pid).getBytes(StandardCharsets.US_ASCII)), 0);
            return new DaemonLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(HOLDER_MAX_BYTES);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
        return text.matches("[0-9]{1,19}") ? text : "";
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The lock goes with the process anyway; nothing here is worth failing a shutdown for.
        }
    }
}
