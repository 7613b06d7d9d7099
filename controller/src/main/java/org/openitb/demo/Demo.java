package org.openitb.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.openitb.alarm.Alarm;
import org.openitb.alarm.AlarmType;
import org.openitb.alarm.RiskEstimate;
import org.openitb.clock.ScaledClock;
import org.openitb.clock.SystemClock;
import org.openitb.config.PumpConfig;
import org.openitb.daemon.PumpDaemon;
import org.openitb.delivery.DeliveryPlan;
import org.openitb.delivery.DeliveryStatus;
import org.openitb.drivers.gpio.Gpio;
import org.openitb.journal.TherapyEvent;
import org.openitb.perf.BenchRun;
import org.openitb.sim.SimulatedBench;
import org.openitb.therapy.CommandRequest;
import org.openitb.therapy.CommandResult;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Durations;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Volume;
import org.tinylog.configuration.Configuration;

/**
 * {@code simulate --demo}: the simulated bench daemon plays a short scripted session, narrated,
 * with a status line that updates live on a terminal (one line per step in a pipe). It uses the
 * same daemon, loops and control socket as {@code simulate}; only the commands come from the script.
 */
public final class Demo {

    /** Simulated time runs this many times real time unless {@code --speed} says otherwise: the session takes about a minute. */
    public static final long DEFAULT_SPEED = 300;

    private final PumpDaemon daemon;
    private final ScaledClock clock;
    private final PumpConfig config;
    private final Narration say;
    private final Queue<TherapyEvent> events;
    /** Alarms raised or escalated and not yet told: each is told once, as it comes. */
    private final Queue<TherapyEvent> alarms;

    private Demo(PumpDaemon daemon, ScaledClock clock, PumpConfig config, PrintWriter out, boolean terminal,
            Queue<TherapyEvent> events, Queue<TherapyEvent> alarms) {
        this.events = events;
        this.alarms = alarms;
        this.daemon = daemon;
        this.clock = clock;
        this.config = config;
        this.say = new Narration(out, terminal, config.zone());
    }

    /**
     * Plays the script on a pump of its own: a memory in a temporary state directory (removed at the
     * end) and the configured id with {@code -demo} added. It starts from a new pump every time, so it
     * can be played again and again, and the configured pump's memory and topics are never touched.
     * The control socket is the configured one, so the client verbs answer meanwhile (and a daemon
     * already running there is not disturbed: it refuses). {@code terminal}: {@code out} is a terminal, so
     * the status line is drawn live. True when every step went as scripted.
     */
    public static boolean play(PumpConfig configured, long speed, PrintWriter out, boolean terminal) throws IOException {
        Path own = Files.createTempDirectory("openitb-demo-");
        try {
            // A pump of its own under its own name: a monitor or broker watching the configured pump never
            // sees the demo's new memory (its event numbers starting again) as that pump's.
            String id = configured.pumpId().length() > 27 ? configured.pumpId().substring(0, 27) : configured.pumpId();
            PumpConfig config = new PumpConfig(id + "-demo", own, configured.controlSocket(), configured.zone(), configured.mqtt(),
                    configured.stepper(), configured.sensors(), configured.annunciator(), configured.mechanics(), configured.delivery(),
                    configured.reservoir(), configured.library(), configured.patientBolus(), configured.alarms(), configured.accuracy());
            ScaledClock clock = new ScaledClock(speed, config.zone(), new SystemClock(config.zone()).instant());
            ConcurrentLinkedQueue<TherapyEvent> events = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<TherapyEvent> alarms = new ConcurrentLinkedQueue<>();
            quietLog();
            PumpDaemon daemon;
            try {
                daemon = PumpDaemon.start(config, clock, Gpio.mock(), true, speed, e -> {
                    events.add(e);
                    if (e.type().equals("alarm-raised") || e.type().equals("alarm-escalated")) {
                        alarms.add(e);
                    }
                });
            } catch (IOException e) {
                // Said in one line: another daemon on the configured control socket is the usual cause.
                throw new IllegalStateException("the demo cannot start: " + e.getMessage(), e);
            }
            try (daemon) {
                Demo demo = new Demo(daemon, clock, config, out, terminal, events, alarms);
                demo.say.line("OpenITB demo on the simulated bench, " + speed + "x real time, on a new pump whose memory is removed at the"
                        + " end (control socket " + config.controlSocket() + " answers meanwhile)");
                return demo.script();
            }
        } finally {
            BenchRun.deleteTree(own);
        }
    }

    /**
     * The demo tells every alarm itself, once, as it comes: the log's warnings would say each a second
     * time, and on a terminal run into the status line. Errors still reach stderr. Nothing to do if
     * the log was configured for good already (something logged before the demo started).
     */
    private static void quietLog() {
        if (!Configuration.isFrozen()) {
            Configuration.set("writer.level", "error");
        }
    }

    private boolean script() {
        SimulatedBench bench = daemon.bench().orElseThrow();
        say.narrate("Fill the syringe with 5 mL of 500 mcg/mL baclofen and declare it: no program is taken before a refill is on record."
                + " Under 7 days of delivery left is a low reservoir.");
        command(new TherapyCommand.Refill(Volume.parse("5mL"), Concentration.parse("500mcg/mL"), Optional.empty()));
        say.narrate("Prime the catheter: push its 0.2 mL at the priming rate before any therapy.");
        command(new TherapyCommand.Prime(Volume.parse("0.2mL")));
        // Done when the whole volume is out: a fast simulation asks more steps of the mock pins than they make, so they catch up.
        if (!waitUntil(Duration.ofMinutes(1), s -> s.running().bolus().isEmpty() && s.counts().deliveredMicrosteps() > 0
                && s.counts().deliveredMicrosteps() >= s.counts().idealMicrosteps())) {
            return fail("priming did not finish");
        }
        say.narrate("Program simple continuous delivery: 400 mcg/day of 500 mcg/mL baclofen (about one microstep every 8 s).");
        command(new TherapyCommand.SetProgram(new ContinuousProgram(DailyRate.parse("400mcg/day"), Concentration.parse("500mcg/mL"))));
        if (!waitForAlarm(AlarmType.RESERVOIR_LOW)) {
            return fail("the low reservoir was not alarmed");
        }
        pass(Duration.ofHours(2));
        say.narrate("A clinician's bolus: 50 mcg over 10 minutes, on top of the basal rate.");
        command(new TherapyCommand.StartBolus(Dose.parse("50mcg"), Duration.ofMinutes(10)));
        pass(Duration.ofMinutes(20));
        say.narrate("The catheter kinks: each microstep now builds pressure until the occlusion switch trips.");
        long kinkedAt = clock.nanos();
        bench.occlude(true);
        if (!waitUntil(Duration.ofMinutes(5), s -> s.running().state().equals("halted"))) {
            return fail("the occlusion was not detected");
        }
        long haltedAt = events.stream().filter(e -> e.type().equals("halted") && e.nanos() >= kinkedAt)
                .mapToLong(TherapyEvent::nanos).findFirst().orElse(clock.nanos());
        say.narrate("Delivery halted " + (haltedAt - kinkedAt) / 1_000_000_000L
                + " s after the kink (three microsteps against the blocked line): the motor is off, nothing more is pushed.");
        long deliveredAtHalt = daemon.pump().controller().status().counts().deliveredMicrosteps();
        if (!waitForAlarm(AlarmType.OCCLUSION)) {
            return fail("the occlusion was not alarmed");
        }
        pass(Duration.ofMinutes(45));
        Alarm occlusion = openAlarm(AlarmType.OCCLUSION).orElseThrow();
        say.narrate("45 minutes on, the occlusion alarm still sounds; " + occlusion.risk().map(RiskEstimate::describe).orElse("no risk estimate"));
        say.narrate("The nurse acknowledges " + occlusion.id() + ": the sound stops for " + Durations.format(config.alarms().silence())
                + " (it comes back if the catheter is still blocked then); the light stays.");
        acknowledge(occlusion.id());
        say.narrate("The kink is cleared: delivery resumes at the programmed rate, and the 45 minutes missed are NOT given as a bolus.");
        bench.occlude(false);
        if (!waitUntil(Duration.ofMinutes(1), s -> s.running().state().equals("delivering"))) {
            return fail("delivery did not resume");
        }
        pass(Duration.ofMinutes(1));
        say.narrate("The occlusion alarm, acknowledged and its condition gone, is "
                + (openAlarm(AlarmType.OCCLUSION).isEmpty() ? "cleared." : "still open (latched).")
                + " " + daemon.pump().supervisor().view().risk().map(RiskEstimate::describe).orElse(""));
        pass(Duration.ofHours(1));
        DeliveryStatus end = daemon.pump().controller().status();
        long resumedAt = events.stream().filter(e -> e.type().equals("delivery-resumed")).mapToLong(TherapyEvent::nanos)
                .reduce((first, second) -> second).orElse(end.nanos());
        long sinceResume = end.counts().deliveredMicrosteps() - deliveredAtHalt;
        long programmed = DeliveryPlan.start(resumedAt, 0, DailyRate.parse("400mcg/day"),
                Concentration.parse("500mcg/mL"), config.mechanics().volumePerMicrostep()).target(end.nanos());
        say.narrate(sinceResume + " microsteps in the " + (end.nanos() - resumedAt) / 60_000_000_000L + " minutes since delivery resumed;"
                + " the program's rate gives " + programmed + ": the halted time was not made up.");
        say.narrate("The low reservoir is still alarmed (" + openAlarm(AlarmType.RESERVOIR_LOW).map(Alarm::message).orElse("?")
                + "). Refill with 20 mL of the same 500 mcg/mL.");
        command(new TherapyCommand.Refill(Volume.parse("20mL"), Concentration.parse("500mcg/mL"), Optional.empty()));
        pass(Duration.ofMinutes(1));
        if (openAlarm(AlarmType.RESERVOIR_LOW).isPresent()) {
            return fail("the refill did not end the low-reservoir alarm");
        }
        say.narrate("Refilled: the low-reservoir alarm is cleared. Open alarms: " + (daemon.pump().supervisor().view().open().isEmpty() ? "none"
                : String.join(", ", daemon.pump().supervisor().view().open().stream().map(a -> a.type() + " " + a.state().wire()).toList())));
        say.finish(daemon.pump().controller().status());
        return true;
    }

    private Optional<Alarm> openAlarm(AlarmType type) {
        return daemon.pump().supervisor().view().open().stream().filter(a -> a.type() == type).findFirst();
    }

    /** Lets time run until an alarm of {@code type} is open, then tells what it says. */
    private boolean waitForAlarm(AlarmType type) {
        if (!waitUntil(Duration.ofMinutes(1), s -> openAlarm(type).isPresent())) {
            return false;
        }
        tellAlarms(); // told as it came; here, at the latest
        return true;
    }

    /** Tells each alarm raised or escalated since the last call, once, on a line of its own. */
    private void tellAlarms() {
        TherapyEvent e;
        while ((e = alarms.poll()) != null) {
            Map<String, Object> d = e.details();
            say.line("  ALARM " + d.get("id") + " " + d.get("alarm") + (e.type().equals("alarm-escalated") ? " escalated to " : " (")
                    + d.get("priority") + (e.type().equals("alarm-escalated") ? "" : ")") + ": " + d.get("message")
                    + (d.containsKey("riskLevel") ? "; withdrawal risk " + d.get("riskLevel") + " (estimate)" : ""));
        }
    }

    private void acknowledge(String id) {
        try {
            say.line("  -> " + daemon.pump().supervisor().acknowledge(id, "demo").get().message());
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("the demo's acknowledgement did not complete: " + e, e);
        }
    }

    private void command(TherapyCommand command) {
        CommandResult result;
        try {
            result = daemon.pump().controller().submit(CommandRequest.commit(command, "demo", OptionalLong.empty(), false)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("the demo's command did not complete: " + e, e);
        }
        if (result.outcome() != CommandResult.Outcome.APPLIED) {
            throw new IllegalStateException("the demo's command was refused: " + result.message());
        }
        say.line("  -> " + result.message());
    }

    /** Lets {@code duration} of simulated time pass, the status line following. */
    private void pass(Duration duration) {
        run(clock.nanos() + duration.toNanos(), s -> false);
    }

    /**
     * Lets simulated time run until {@code done}, or {@code timeout} has passed but never less than
     * two real seconds, so a very fast simulation does not outrun the host's own reaction time.
     */
    private boolean waitUntil(Duration timeout, Predicate<DeliveryStatus> done) {
        long span = Math.max(timeout.toNanos(), Math.multiplyExact(2_000_000_000L, clock.speed()));
        return run(clock.nanos() + span, done);
    }

    private boolean run(long end, Predicate<DeliveryStatus> done) {
        long refresh = clock.speed() * 100_000_000L; // a tenth of a real second
        while (clock.nanos() - end < 0) {
            tellAlarms();
            DeliveryStatus s = daemon.pump().controller().status();
            say.redraw(s);
            if (done.test(s)) {
                showStatus();
                return true;
            }
            clock.parkUntil(Math.min(end, clock.nanos() + refresh));
        }
        showStatus();
        return done.test(daemon.pump().controller().status());
    }

    private void showStatus() {
        tellAlarms();
        say.show(daemon.pump().controller().status());
    }

    private boolean fail(String why) {
        say.line("Demo failed: " + why);
        return false;
    }
}
