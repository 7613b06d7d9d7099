package org.openitb.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/** Free space where the pump keeps its memory: the state directory's file system, or a simulated one. */
public interface DiskSpace {

    /** Free space usable by the pump, MiB; empty when it cannot be told. */
    OptionalLong freeMb();

    /** Nothing known (no state directory). */
    DiskSpace UNKNOWN = OptionalLong::empty;

    /** The file system holding {@code dir}. */
    static DiskSpace of(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return () -> {
            try {
                return OptionalLong.of(Files.getFileStore(dir).getUsableSpace() / (1024 * 1024));
            } catch (IOException | SecurityException e) {
                return OptionalLong.empty(); // the storage failure itself is reported by the writer
            }
        };
    }
}
