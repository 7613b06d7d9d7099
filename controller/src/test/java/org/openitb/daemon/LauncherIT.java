package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.cli.ConfigOption;
import org.openitb.cli.Main;
import org.openitb.config.ProjectFiles;

/**
 * {@code scripts/openitb}, the README's launcher, run in a copy of the checkout with a shell that has
 * only an old Java on PATH and no JAVA_HOME, as on a fresh machine: it finds a JDK of its own, runs the
 * jar with the unit's JVM options (read back from the running JVM with jcmd), builds the jar only when
 * it is missing or older than the sources, and says in one line what to install when there is no JDK.
 */
class LauncherIT {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    /** A checkout without sources: the scripts, config/ and the packaged jar where the build puts it. */
    private Path checkout() throws IOException {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        for (String tree : List.of("scripts", "config")) {
            try (Stream<Path> files = Files.walk(ProjectFiles.root().resolve(tree))) {
                for (Path from : files.filter(Files::isRegularFile).toList()) {
                    Path to = repo.resolve(tree).resolve(ProjectFiles.root().resolve(tree).relativize(from).toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Files.createDirectories(repo.resolve("controller/target"));
        Files.copy(DaemonProcess.jar(), repo.resolve("controller/target/openitb.jar"));
        return repo;
    }

    /** A directory holding {@code name} as a script, for PATH. */
    private Path bin(String name, String script) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin-" + name));
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    /** The JVM directory the launcher searches, holding only the JDK running these tests (>= 21). */
    private Path jvmDirWithThisJdk() throws IOException {
        Path jvms = Files.createDirectories(dir.resolve("jvm"));
        Files.createSymbolicLink(jvms.resolve("this-jdk"), Path.of(System.getProperty("java.home")));
        return jvms;
    }

    /** The bin directory of a Java 17 and nothing more (the launcher only asks its java for its version). */
    private Path oldJavaOnPath() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("old-jdk/bin"));
        Path java = bin.resolve("java");
        if (!Files.exists(java)) {
            Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"17.0.15\" 2025-04-15' >&2\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    private ProcessBuilder launcher(Path repo, Path jvmDirs, List<Path> pathFirst, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(repo.resolve("scripts/openitb").toString()));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = b.environment();
        env.remove("JAVA_HOME");
        env.remove(ConfigOption.ENVIRONMENT);
        env.put("OPENITB_JVM_DIRS", jvmDirs.toString());
        StringBuilder path = new StringBuilder();
        for (Path p : pathFirst) {
            path.append(p).append(':');
        }
        env.put("PATH", path + systemBin().toString());
        return b;
    }

    /** The system's commands without Maven and Java, so only what a test puts first on PATH is found of those. */
    private Path systemBin() throws IOException {
        Path bin = dir.resolve("system-bin");
        if (Files.isDirectory(bin)) {
            return bin;
        }
        Files.createDirectories(bin);
        for (String system : List.of("/usr/bin", "/bin")) {
            try (Stream<Path> commands = Files.list(Path.of(system))) {
                for (Path command : commands.toList()) {
                    String name = command.getFileName().toString();
                    if (!name.equals("mvn") && !name.equals("java") && !Files.exists(bin.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(bin.resolve(name), command);
                    }
                }
            }
        }
        return bin;
    }

    private static Run run(ProcessBuilder b) throws IOException, InterruptedException {
        Process p = b.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher finished");
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void findsAJdkByItselfAndRunsTheDaemonWithTheUnitsJvmOptions() throws Exception {
        Path repo = checkout();
        Path config = dir.resolve("pump.properties");
        Files.writeString(config, Files.readString(repo.resolve("config/openitb.properties"))
                .replace("state.dir = state", "state.dir = " + dir.resolve("state"))
                .replace("control.socket = state/control.sock", "control.socket = " + dir.resolve("state/control.sock")));
        ProcessBuilder b = launcher(repo, jvmDirWithThisJdk(), List.of(oldJavaOnPath()), "simulate")
                .redirectOutput(dir.resolve("daemon.out").toFile()).redirectError(dir.resolve("daemon.err").toFile());
        b.environment().put(ConfigOption.ENVIRONMENT, config.toString()); // the verb's --config default
        Process daemon = b.start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(dir.resolve("state/control.sock")) && daemon.isAlive() && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertTrue(daemon.isAlive() && Files.exists(dir.resolve("state/control.sock")),
                    "the daemon runs on the config OPENITB_CONFIG names: " + Files.readString(dir.resolve("daemon.err")));
            // The launcher exec'd java: the same process, now the JDK it found, with config/jvm.options in force.
            String executable = daemon.info().command().orElseThrow();
            assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toRealPath(), Path.of(executable).toRealPath());
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(daemon.pid()),
                    "VM.flags").redirectErrorStream(true).start();
            String flags = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(jcmd.waitFor(60, TimeUnit.SECONDS));
            for (String option : ServiceUnitTest.argFile(ServiceUnitTest.JVM_OPTIONS)) {
                String flag = switch (option) {
                    case "-Xmx64m" -> "-XX:MaxHeapSize=67108864";
                    case "-Xms24m" -> "-XX:InitialHeapSize=25165824";
                    case "-Xss512k" -> "-XX:ThreadStackSize=512";
                    case "-XX:MaxMetaspaceSize=64m" -> "-XX:MaxMetaspaceSize=67108864";
                    case "-XX:ReservedCodeCacheSize=32m" -> "-XX:ReservedCodeCacheSize=33554432";
                    default -> option.startsWith("-XX:") ? option : null;
                };
                if (flag != null) {
                    assertTrue(flags.contains(flag), option + " is in force (" + flag + "): " + flags);
                }
            }
        } finally {
            daemon.destroy();
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
    }

    @Test
    void withNoJdkToFindItSaysInOneLineWhatToInstall() throws Exception {
        Path repo = checkout();
        Run r = run(launcher(repo, Files.createDirectories(dir.resolve("no-jvms")), List.of(oldJavaOnPath()), "status"));
        assertEquals(1, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains("Java 21 or newer") && r.err().contains("Java 17 at ") && r.err().contains("openjdk-21-jdk"), r.err());
    }

    @Test
    void buildsTheJarOnlyWhenItIsMissingOrOlderThanTheSources() throws Exception {
        Path repo = checkout();
        Path jar = repo.resolve("controller/target/openitb.jar");
        Path source = repo.resolve("controller/src/main/java/org/openitb/cli/Main.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class Main {}\n");
        for (String pom : List.of("pom.xml", "drivers/pom.xml", "controller/pom.xml")) {
            Files.createDirectories(repo.resolve(pom).getParent());
            Files.writeString(repo.resolve(pom), "<project/>\n");
        }
        // Maven stands in for itself: it notes how it was called and lays down the real jar, as package would.
        Path calls = dir.resolve("mvn-calls");
        Path mvn = bin("mvn", "echo \"$PWD $JAVA_HOME $*\" >> " + calls + "\ncp " + DaemonProcess.jar() + " " + jar + "\n");
        Path jvms = jvmDirWithThisJdk();
        FileTime sources = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
        for (Path f : List.of(source, repo.resolve("pom.xml"), repo.resolve("drivers/pom.xml"), repo.resolve("controller/pom.xml"))) {
            Files.setLastModifiedTime(f, sources);
        }

        Files.delete(jar);
        Run missing = run(launcher(repo, jvms, List.of(mvn, oldJavaOnPath()), "--version"));
        assertEquals(0, missing.code(), missing.err());
        assertTrue(missing.out().startsWith("openitb "), missing.out());
        assertTrue(missing.err().contains("building controller/target/openitb.jar"), "it says it builds: " + missing.err());
        List<String> built = Files.readAllLines(calls);
        assertEquals(1, built.size(), built.toString());
        assertTrue(built.get(0).startsWith(repo + " " + dir.resolve("jvm/this-jdk") + " ") && built.get(0).contains("-DskipTests package"),
                "built in the checkout with the JDK it found: " + built);

        Files.setLastModifiedTime(jar, FileTime.fromMillis(sources.toMillis() + 10_000));
        Run fresh = run(launcher(repo, jvms, List.of(mvn, oldJavaOnPath()), "--version"));
        assertEquals(0, fresh.code(), fresh.err());
        assertEquals("", fresh.err(), "nothing to build");
        assertEquals(1, Files.readAllLines(calls).size(), "a jar newer than every source is not built again");

        Files.setLastModifiedTime(source, FileTime.fromMillis(sources.toMillis() + 20_000));
        Run stale = run(launcher(repo, jvms, List.of(mvn, oldJavaOnPath()), "--version"));
        assertEquals(0, stale.code(), stale.err());
        assertEquals(2, Files.readAllLines(calls).size(), "a source newer than the jar is built");

        Files.setLastModifiedTime(jar, FileTime.fromMillis(sources.toMillis() + 10_000));
        Run noMaven = run(launcher(repo, jvms, List.of(oldJavaOnPath()), "--version"));
        assertEquals(1, noMaven.code());
        assertFalse(noMaven.err().contains("Exception"), noMaven.err());
        assertTrue(noMaven.err().strip().lines().count() == 1 && noMaven.err().contains("apt-get install maven"), noMaven.err());
    }

    @Test
    void javaDashJarOnAJavaOlderThan21SaysWhatToDoInOneLine() throws Exception {
        Path old = null;
        try (Stream<Path> jvms = Files.exists(Path.of("/usr/lib/jvm")) ? Files.list(Path.of("/usr/lib/jvm")) : Stream.empty()) {
            for (Path home : jvms.toList()) {
                Path java = home.resolve("bin/java");
                if (Files.isExecutable(java) && (home.getFileName().toString().contains("-17-") || home.getFileName().toString().contains("-11-"))) {
                    old = java;
                }
            }
        }
        Assumptions.assumeTrue(old != null, "no Java 11 or 17 under /usr/lib/jvm to try the jar on");
        Process p = new ProcessBuilder(old.toString(), "-jar", DaemonProcess.jar().toString(), "status").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), err);
        assertEquals("", out);
        assertEquals(1, err.strip().lines().count(), "one line, no stack trace: " + err);
        assertTrue(err.startsWith("openitb: needs Java 21 or newer, this is Java ") && err.contains("scripts/openitb"), err);
    }
}
