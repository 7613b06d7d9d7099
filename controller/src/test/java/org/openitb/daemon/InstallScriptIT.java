package org.openitb.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openitb.config.ProjectFiles;

/**
 * {@code systemd/install.sh} run into a scratch root (its --root, DESTDIR-style): what it lays
 * down, that a second run changes nothing, that an operator's config survives an upgrade and a
 * config the new version refuses stops the upgrade, and that --uninstall keeps the state unless purged.
 */
class InstallScriptIT {

    private static final Path SCRIPT = ProjectFiles.root().resolve("systemd/install.sh");

    private record Run(int code, String out) {
    }

    private static Run install(Path root, String... args) throws IOException, InterruptedException {
        return install(SCRIPT, root, args);
    }

    private static Run install(Path script, Path root, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString(), "--root", root.toString(),
                "--jar", DaemonProcess.jar().toString(), "--java-home", System.getProperty("java.home")));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "install.sh finished");
        return new Run(p.exitValue(), out);
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static int owner(Path file) throws IOException {
        return (Integer) Files.getAttribute(file, "unix:uid");
    }

    @Test
    void installsIntoAScratchRootAndASecondRunChangesNothing(@TempDir Path root) throws Exception {
        Run first = install(root);
        assertEquals(0, first.code(), first.out());

        String passwd = Files.readString(root.resolve("etc/passwd"));
        String user = passwd.lines().filter(l -> l.startsWith("openitb:")).findFirst().orElseThrow(() -> new AssertionError(passwd));
        int uid = Integer.parseInt(user.split(":")[2]);
        assertTrue(user.endsWith(":/var/lib/openitb:/usr/sbin/nologin"), "a system user with no login: " + user);
        assertTrue(Files.readString(root.resolve("etc/group")).lines().anyMatch(l -> l.startsWith("gpio:") && l.endsWith(":openitb")),
                "openitb in the gpio group");

        assertEquals(Files.readString(ServiceUnitTest.UNIT), Files.readString(root.resolve("etc/systemd/system/openitb.service")));
        assertEquals(Path.of("/etc/systemd/system/openitb.service"),
                Files.readSymbolicLink(root.resolve("etc/systemd/system/multi-user.target.wants/openitb.service")), "enabled");
        assertEquals(-1, Files.mismatch(DaemonProcess.jar(), root.resolve("opt/openitb/openitb.jar")));
        assertEquals(Path.of(System.getProperty("java.home")).toRealPath(), Files.readSymbolicLink(root.resolve("opt/openitb/jre")));
        assertTrue(Files.isExecutable(root.resolve("usr/local/bin/openitb")));
        assertEquals(-1, Files.mismatch(ServiceUnitTest.JVM_OPTIONS, root.resolve(ServiceUnitTest.INSTALLED_JVM_OPTIONS.substring(1))),
                "the unit's JVM options are config/jvm.options");
        assertTrue(Files.readString(root.resolve("usr/local/bin/openitb")).contains(" @" + ServiceUnitTest.INSTALLED_JVM_OPTIONS + " "),
                "the command wrapper runs with them too");

        Path config = root.resolve("etc/openitb/openitb.properties");
        String text = Files.readString(config);
        assertTrue(text.contains("\nstate.dir = /var/lib/openitb\n") && text.contains("\ncontrol.socket = /run/openitb/control.sock\n"), text);
        assertEquals("rw-r-----", mode(config), "the config may name a password file: not world-readable");
        Process configCheck = new ProcessBuilder(DaemonProcess.java(), "-jar", DaemonProcess.jar().toString(), "config", "check", "--config",
                config.toString()).redirectErrorStream(true).start();
        String verdict = new String(configCheck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, configCheck.waitFor(), verdict);
        assertTrue(Files.isRegularFile(root.resolve("etc/openitb/tinylog.properties")));

        for (String dir : List.of("var/lib/openitb", "var/cache/openitb")) {
            assertEquals("rwx------", mode(root.resolve(dir)), dir);
            assertEquals(uid, owner(root.resolve(dir)), dir + " belongs to openitb");
        }
        // The CDS archive is one this JVM maps with the unit's options (-Xshare:on fails if it cannot).
        Path archive = root.resolve("var/cache/openitb/openitb.jsa");
        assertTrue(Files.size(archive) > 1_000_000, "a class-data-sharing archive");
        Process check = new ProcessBuilder(DaemonProcess.java(), "-XX:SharedArchiveFile=" + archive, "-Xshare:on",
                "-jar", root.resolve("opt/openitb/openitb.jar").toString(), "--version").redirectErrorStream(true).start();
        String version = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.waitFor(), "the archive maps: " + version);

        long jarTime = Files.getLastModifiedTime(root.resolve("opt/openitb/openitb.jar")).toMillis();
        Run again = install(root);
        assertEquals(0, again.code(), again.out());
        assertFalse(again.out().contains("installed") || again.out().contains("wrote") || again.out().contains("archive"),
                "nothing to do the second time: " + again.out());
        assertEquals(jarTime, Files.getLastModifiedTime(root.resolve("opt/openitb/openitb.jar")).toMillis());
        assertFalse(Files.exists(root.resolve("etc/openitb/openitb.properties.new")));
    }

    @Test
    void anUpgradeKeepsTheOperatorsConfigAndRefusesOneTheNewVersionWouldNotRun(@TempDir Path root) throws Exception {
        assertEquals(0, install(root, "--no-cds").code());
        Path config = root.resolve("etc/openitb/openitb.properties");
        Files.writeString(config, Files.readString(config).replace("pump.id = bench-01", "pump.id = ward-3"));

        Run upgrade = install(root, "--no-cds");
        assertEquals(0, upgrade.code(), upgrade.out());
        assertTrue(Files.readString(config).contains("pump.id = ward-3"), "kept");
        assertTrue(Files.readString(root.resolve("etc/openitb/openitb.properties.new")).contains("pump.id = bench-01"), "the shipped one beside it");
        assertTrue(upgrade.out().contains("kept your"), upgrade.out());

        Files.writeString(config, Files.readString(config).replace("pump.id = ward-3", "pump.id = ward 3"));
        Files.delete(root.resolve("opt/openitb/openitb.jar"));
        Run refused = install(root, "--no-cds");
        assertEquals(2, refused.code(), refused.out());
        assertTrue(refused.out().contains("refuses") && refused.out().contains("pump.id = ward 3") && refused.out().contains("nothing was changed"),
                refused.out());
        assertFalse(Files.exists(root.resolve("opt/openitb/openitb.jar")), "nothing laid down");
    }

    @Test
    void uninstallKeepsConfigAndStateUnlessPurged(@TempDir Path root) throws Exception {
        assertEquals(0, install(root, "--no-cds").code());
        Path state = root.resolve("var/lib/openitb/openitb.db");
        Files.writeString(state, "the pump's memory");

        Run removed = install(root, "--uninstall");
        assertEquals(0, removed.code(), removed.out());
        assertFalse(Files.exists(root.resolve("opt/openitb")));
        assertFalse(Files.exists(root.resolve("etc/systemd/system/openitb.service")));
        assertFalse(Files.exists(root.resolve("etc/systemd/system/multi-user.target.wants/openitb.service")), "disabled");
        assertFalse(Files.exists(root.resolve("usr/local/bin/openitb")));
        assertEquals("the pump's memory", Files.readString(state), "state kept");
        assertTrue(Files.exists(root.resolve("etc/openitb/openitb.properties")), "config kept");

        assertEquals(0, install(root, "--no-cds").code(), "a reinstall finds its state");
        assertEquals("the pump's memory", Files.readString(state));

        Run purged = install(root, "--uninstall", "--purge");
        assertEquals(0, purged.code(), purged.out());
        assertFalse(Files.exists(root.resolve("var/lib/openitb")));
        assertFalse(Files.exists(root.resolve("etc/openitb")));
    }

    /**
     * The JVM options the unit starts with must be ones this Java accepts: an option it refuses (the
     * Pi's Java 21 refused the 'aot' log tag, which only 24+ know) would leave the service failing at
     * every restart. Here the host's own Java refuses a log tag no Java has.
     */
    @Test
    void jvmOptionsThisJavaRefusesStopTheInstallBeforeAnythingChanges(@TempDir Path repo, @TempDir Path root) throws Exception {
        Path project = ProjectFiles.root();
        Files.createDirectories(repo.resolve("systemd"));
        Files.createDirectories(repo.resolve("config"));
        for (String file : List.of("systemd/install.sh", "systemd/openitb.service", "config/openitb.properties", "config/tinylog.properties")) {
            Files.copy(project.resolve(file), repo.resolve(file));
        }
        Files.writeString(repo.resolve("config/jvm.options"), Files.readString(project.resolve("config/jvm.options")) + "-Xlog:nosuchtag*=off:stderr\n");

        Run refused = install(repo.resolve("systemd/install.sh"), root, "--no-cds");
        assertEquals(2, refused.code(), refused.out());
        assertTrue(refused.out().contains("refuses config/jvm.options") && refused.out().contains("nosuchtag") && refused.out().contains("nothing was changed"),
                refused.out());
        assertEquals(1, refused.out().strip().lines().count(), "one line: " + refused.out());
        assertFalse(Files.exists(root.resolve("opt/openitb")), "nothing laid down");
    }

    @Test
    void badOptionsAreOneLineAndExitTwo(@TempDir Path root) throws Exception {
        Run unknown = install(root, "--frobnicate");
        assertEquals(2, unknown.code());
        assertEquals("install.sh: unknown option '--frobnicate' (see --help)\n", unknown.out());
        Run purge = install(root, "--purge");
        assertEquals(2, purge.code());
        assertEquals("install.sh: --purge goes with --uninstall\n", purge.out());
        assertFalse(Files.exists(root.resolve("opt")), "nothing laid down");
    }
}
