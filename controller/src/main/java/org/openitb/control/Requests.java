package org.openitb.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.openitb.accuracy.TestHeader;
import org.openitb.accuracy.TestPlan;
import org.openitb.accuracy.TestSetup;
import org.openitb.therapy.CommandRequest;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.ContinuousProgram;
import org.openitb.therapy.DailyRate;
import org.openitb.therapy.Dose;
import org.openitb.therapy.Durations;
import org.openitb.therapy.FlexProgram;
import org.openitb.therapy.FlexSchedule;
import org.openitb.therapy.FlexStep;
import org.openitb.therapy.PeriodicBolus;
import org.openitb.therapy.Program;
import org.openitb.therapy.TherapyCommand;
import org.openitb.therapy.Volume;

/**
 * The control protocol's requests: what each verb carries and how it becomes a command. Both
 * ends use it, the client to refuse bad input before it connects, the daemon to decide.
 */
public final class Requests {

    /** Flex steps in one request at most: 48 a day for seven days. */
    public static final int MAX_STEPS = 7 * FlexSchedule.MAX_STEPS_PER_DAY;

    /** A parsed request: what the daemon is asked to do. */
    public sealed interface Request {
    }

    public record Status() implements Request {
    }

    public record Therapy(CommandRequest request) implements Request {
    }

    /** The journal's last {@code limit} entries, oldest first. */
    public record History(int limit) implements Request {
    }

    /** Journal entries one request may ask for at most. */
    public static final int MAX_HISTORY = 10_000;

    /** The open alarms and the withdrawal-risk estimate. */
    public record Alarms() implements Request {
    }

    /** Acknowledge alarm {@code id} on behalf of {@code who}. */
    public record Ack(String id, String who) implements Request {
    }

    /** Longest alarm id accepted (ids are a type code and a base-36 time: a dozen characters). */
    public static final int MAX_ALARM_ID = 32;

    /** A fault to play on the simulated bench. */
    public record Sim(BenchFault fault) implements Request {
    }

    /** The gravimetric test: start one (with its choices), ask how it goes, or stop it. */
    public sealed interface Accuracy extends Request {
    }

    public record AccuracyStart(Optional<String> name, TestPlan.Choices choices, String who) implements Accuracy {
    }

    public record AccuracyStatus() implements Accuracy {
    }

    public record AccuracyStop(String who) implements Accuracy {
    }

    private Requests() {
    }

    /** Reads a request line's object; {@code who} is the peer the socket vouches for. */
    public static Request parse(Json json, String who) throws ProtocolException {
        Optional<Long> version = json.wholeNumber("v");
        if (version.isPresent() && version.get() != 1) {
            throw new ProtocolException("protocol version " + version.get() + " is not spoken here (1 is)");
        }
        String verb = json.requiredString("verb");
        Request request = switch (verb) {
            case "status" -> new Status();
            case "program" -> therapy(json, who, new TherapyCommand.SetProgram(program(json), field(json, "referenceDose", DailyRate::parse)));
            case "bolus" -> therapy(json, who, new TherapyCommand.StartBolus(
                    field(json, "dose", Dose::parse).orElseThrow(() -> missing("dose")),
                    field(json, "over", Durations::parse).orElseThrow(() -> missing("over"))));
            case "patient-bolus" -> therapy(json, who, new TherapyCommand.PatientBolus());
            case "refill" -> therapy(json, who, new TherapyCommand.Refill(
                    field(json, "volume", Volume::parse).orElseThrow(() -> missing("volume")),
                    field(json, "concentration", Concentration::parse).orElseThrow(() -> missing("concentration")),
                    json.string("mode").isPresent() ? Optional.of(program(json)) : Optional.empty(),
                    field(json, "withdrawn", Volume::parse)));
            case "prime" -> therapy(json, who, prime(json));
            case "suspend" -> therapy(json, who, new TherapyCommand.Suspend(field(json, "for", Durations::parse)));
            case "resume" -> therapy(json, who, new TherapyCommand.Resume());
            case "sim" -> sim(json);
            case "accuracy" -> accuracy(json, who);
            case "alarms" -> new Alarms();
            case "ack" -> new Ack(alarmId(json.requiredString("id")), who);
            case "history" -> {
                long limit = json.wholeNumber("limit").orElse(100L);
                if (limit < 1 || limit > MAX_HISTORY) {
                    throw new ProtocolException("limit must be from 1 to " + MAX_HISTORY);
                }
                yield new History((int) limit);
            }
            default -> throw new ProtocolException("unknown verb \"" + verb + "\"");
        };
        json.noOtherFields();
        return request;
    }

    /** The program a {@code program} request describes. */
    public static Program program(Json json) throws ProtocolException {
        String mode = json.requiredString("mode");
        Concentration concentration = field(json, "concentration", Concentration::parse).orElseThrow(() -> missing("concentration"));
        Optional<PeriodicBolus> periodic = periodicBolus(json);
        return switch (mode) {
            case "continuous" -> {
                if (!json.strings("steps", MAX_STEPS).isEmpty()) {
                    throw new ProtocolException("steps belong to a flex program, not a continuous one");
                }
                yield new ContinuousProgram(field(json, "dose", DailyRate::parse).orElseThrow(() -> missing("dose")), concentration, periodic);
            }
            case "flex" -> {
                if (json.string("dose").isPresent()) {
                    throw new ProtocolException("a flex program takes its rates from its steps, not from dose");
                }
                List<FlexStep> steps = new ArrayList<>();
                for (String text : json.strings("steps", MAX_STEPS)) {
                    steps.add(parse("step", text, FlexStep::parse));
                }
                if (steps.isEmpty()) {
                    throw new ProtocolException("a flex program needs at least one step, like 06:00=350mcg/day");
                }
                try {
                    yield new FlexProgram(new FlexSchedule(steps), concentration, periodic);
                } catch (IllegalArgumentException e) {
                    throw new ProtocolException("steps: " + e.getMessage());
                }
            }
            default -> throw new ProtocolException("mode must be continuous or flex, not \"" + mode + "\"");
        };
    }

    private static Optional<PeriodicBolus> periodicBolus(Json json) throws ProtocolException {
        Optional<Dose> dose = field(json, "periodicBolus", Dose::parse);
        Optional<Duration> every = field(json, "every", Durations::parse);
        Optional<Duration> over = field(json, "over", Durations::parse);
        if (dose.isEmpty()) {
            if (every.isPresent() || over.isPresent()) {
                throw new ProtocolException("every and over describe a periodic bolus; give its dose with periodicBolus");
            }
            return Optional.empty();
        }
        if (every.isEmpty()) {
            throw missing("every");
        }
        try {
            return Optional.of(new PeriodicBolus(dose.get(), every.get(), over.orElse(Duration.ofMinutes(10))));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("periodic bolus: " + e.getMessage());
        }
    }

    private static Request therapy(Json json, String who, TherapyCommand command) throws ProtocolException {
        boolean commit = json.bool("commit");
        boolean override = json.bool("overrideSoftLimit");
        Optional<Long> expect = json.wholeNumber("expectRevision");
        if (command instanceof TherapyCommand.Resume) {
            return new Therapy(CommandRequest.commit(command, who, OptionalLong.empty(), false));
        }
        return new Therapy(new CommandRequest(command, who, commit, expect.map(OptionalLong::of).orElse(OptionalLong.empty()), override));
    }

    /**
     * An alarm id as {@code ack} takes it: letters, digits and '-', case ignored. The id of one of
     * the alarm's MQTT events ({@code OCC-MK2A9Q1C.7}) names the alarm too.
     */
    public static String alarmId(String text) throws ProtocolException {
        String id = EVENT_SUFFIX.matcher(text.strip().toUpperCase(Locale.ROOT)).replaceFirst("");
        if (id.isEmpty() || id.length() > MAX_ALARM_ID || !id.matches("[A-Z0-9-]+")) {
            throw new ProtocolException("alarm id must be 1 to " + MAX_ALARM_ID + " letters, digits or '-' (like OCC-MK2A9Q1C), not \""
                    + (text.length() > MAX_ALARM_ID ? text.substring(0, MAX_ALARM_ID) + "..." : text) + "\"");
        }
        return id;
    }

    private static final Pattern EVENT_SUFFIX = Pattern.compile("(?<=[A-Z0-9])\\.[0-9]{1,18}$");

    /**
     * Priming by volume, or by an exact count of microsteps (calibration); one of the two.
     * {@code disconnected} declares the catheter is not connected to the patient.
     */
    private static TherapyCommand prime(Json json) throws ProtocolException {
        boolean disconnected = json.bool("disconnected");
        Optional<String> microsteps = json.string("microsteps");
        if (microsteps.isEmpty()) {
            return new TherapyCommand.Prime(field(json, "volume", Volume::parse).orElseThrow(() -> missing("volume")), disconnected);
        }
        if (json.string("volume").isPresent()) {
            throw new ProtocolException("prime takes a volume or a count of microsteps, not both");
        }
        String text = microsteps.get();
        long count = text.matches("[0-9]{1,8}") ? Long.parseLong(text) : -1; // 8 digits: no overflow, and above MAX anyway
        if (!TherapyCommand.PrimeMicrosteps.allows(count)) {
            throw new ProtocolException("microsteps must be a whole number from 1 to " + TherapyCommand.PrimeMicrosteps.MAX + ", not \""
                    + (text.length() > 20 ? text.substring(0, 20) + "..." : text) + "\"");
        }
        return new TherapyCommand.PrimeMicrosteps(count, disconnected);
    }

    private static Request accuracy(Json json, String who) throws ProtocolException {
        String action = json.requiredString("action");
        return switch (action) {
            case "start" -> {
                Optional<String> name = json.string("name");
                if (name.isPresent() && !TestHeader.NAME.matcher(name.get()).matches()) {
                    throw new ProtocolException("name: 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
                }
                Optional<List<Duration>> windows = json.string("windows").isEmpty() ? Optional.empty()
                        : Optional.of(parse("windows", json.string("windows").get(), Requests::windows));
                yield new AccuracyStart(name, new TestPlan.Choices(field(json, "length", Durations::parse), field(json, "deltaT", Durations::parse),
                        field(json, "from", Durations::parse), field(json, "to", Durations::parse), windows,
                        field(json, "density", t -> Numbers.parse(t, "g/mL", 0.5, 2.5)).orElse(TestPlan.Choices.DEFAULTS.densityGPerMl()),
                        field(json, "evaporation", t -> Numbers.parse(t, "mg/h", 0, 1_000)).orElse(0.0),
                        field(json, "tolerance", t -> Numbers.parse(t, "%", 0.1, 100))), who);
            }
            case "status" -> new AccuracyStatus();
            case "stop" -> new AccuracyStop(who);
            default -> throw new ProtocolException("accuracy takes start, status or stop, not \"" + action + "\"");
        };
    }

    /** Observation windows as a comma-separated list of durations, at most {@link TestSetup#MAX_WINDOWS}. */
    private static List<Duration> windows(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length > TestSetup.MAX_WINDOWS) {
            throw new IllegalArgumentException("at most " + TestSetup.MAX_WINDOWS + " windows, not " + parts.length);
        }
        List<Duration> out = new ArrayList<>();
        for (String part : parts) {
            out.add(Durations.parse(part.strip()));
        }
        return out;
    }

    private static Request sim(Json json) throws ProtocolException {
        return new Sim(BenchFault.parse(json.requiredString("what"), json.requiredString("value")));
    }

    private static <T> Optional<T> field(Json json, String name, Function<String, T> parser) throws ProtocolException {
        Optional<String> text = json.string(name);
        return text.isEmpty() ? Optional.empty() : Optional.of(parse(name, text.get(), parser));
    }

    private static <T> T parse(String name, String text, Function<String, T> parser) throws ProtocolException {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(name + ": " + e.getMessage());
        }
    }

    private static ProtocolException missing(String field) {
        return new ProtocolException("field \"" + field + "\" is missing");
    }
}
