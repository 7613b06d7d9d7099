package org.openitb.store;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/** Free space where the pump keeps its memory: the state directory's file system, or a simulated one. */
public interface DiskSpace {

    /** Free space usable by the pump, MiB; empty when it cannot be told. */
    OptionalLong freeMb();

    /** Nothing known (no state directory). */
    DiskSpace UNKNOWN = OptionalLong::empty;

    /**
     * The file system holding {@code dir}. Finding it reads the mount table (milliseconds), so it
     * is found once; asking it for free space is one statvfs call.
     */
    static DiskSpace of(Path dir) {
        Objects.requireNonNull(dir, "dir");
        AtomicReference<FileStore> store = new AtomicReference<>();
        return () -> {
            try {
                FileStore fs = store.get();
                if (fs == null) {
                    fs = Files.getFileStore(dir);
                    store.set(fs);
                }
                return OptionalLong.of(fs.getUsableSpace() / (1024 * 1024));
            } catch (IOException | SecurityException e) {
                store.set(null);
                return OptionalLong.empty(); // the storage failure itself is reported by the writer
            }
        };
    }
}
