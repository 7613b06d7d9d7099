package org.openitb.drivers.gpio;

import com.pi4j.Pi4J;
import com.pi4j.boardinfo.util.BoardInfoHelper;
import com.pi4j.context.Context;
import com.pi4j.extension.Plugin;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.plugin.gpiod.GpioDPlugin;
import com.pi4j.plugin.mock.Mock;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The GPIO of one board: a Pi4J context and the providers pins are created with. On a Raspberry
 * Pi that is libgpiod; elsewhere, or for {@code simulate} and tests, Pi4J's mock platform.
 *
 * <p>Pins are named by BCM number. {@link #close()} shuts the context down, which drives every
 * output to the safe state declared when it was created.
 */
public final class Gpio implements AutoCloseable {

    /** Lowest BCM number usable for our signals: GPIO 0 and 1 are the HAT ID EEPROM bus. */
    public static final int BCM_MIN = 2;
    /** Highest BCM number on the 40-pin header. */
    public static final int BCM_MAX = 27;

    /** Injected write failures by output id (mock platform only). */
    private final Map<String, String> writeFaults = new ConcurrentHashMap<>();
    private final Context context;
    private final boolean mock;
    private final String inputProvider;
    private final String outputProvider;
    private volatile boolean closed;

    private Gpio(Context context, boolean mock, String inputProvider, String outputProvider) {
        this.context = context;
        this.mock = mock;
        this.inputProvider = inputProvider;
        this.outputProvider = outputProvider;
    }

    /** Pi4J's mock platform: pins exist only in memory, and simulated twins drive and watch them. */
    public static Gpio mock() {
        Context context = Pi4J.newContextBuilder()
                .add(new MockPlatform())
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
                .build();
        return new Gpio(context, true, Mock.DIGITAL_INPUT_PROVIDER_ID, Mock.DIGITAL_OUTPUT_PROVIDER_ID);
    }

    /**
     * The real board through libgpiod, with providers found by ServiceLoader (the plugins' service
     * files are merged into the runnable jar). Refuses to start anywhere but on a Raspberry Pi:
     * silently falling back to mock pins would look like a working pump that delivers nothing.
     */
    public static Gpio raspberryPi() {
        if (!onRaspberryPi()) {
            throw new GpioException("no Raspberry Pi detected; 'run' drives real pins only (use 'simulate' for the mock bench)");
        }
        Context context = Pi4J.newContextBuilder().autoDetectProviders().build();
        for (String id : List.of(GpioDPlugin.DIGITAL_INPUT_PROVIDER_ID, GpioDPlugin.DIGITAL_OUTPUT_PROVIDER_ID)) {
            if (!context.hasProvider(id)) {
                context.shutdown();
                throw new GpioException("Pi4J provider '" + id + "' not found; is pi4j-plugin-gpiod in the jar?");
            }
        }
        return new Gpio(context, false, GpioDPlugin.DIGITAL_INPUT_PROVIDER_ID, GpioDPlugin.DIGITAL_OUTPUT_PROVIDER_ID);
    }

    /** Whether this machine is a Raspberry Pi, by Pi4J's board detection. */
    public static boolean onRaspberryPi() {
        return BoardInfoHelper.runningOnRaspberryPi();
    }

    /** Class names of the Pi4J plugins ServiceLoader can see: what a board context could use. */
    public static List<String> availablePlugins() {
        List<String> names = new ArrayList<>();
        for (ServiceLoader.Provider<Plugin> provider : ServiceLoader.load(Plugin.class).stream().toList()) {
            names.add(provider.type().getName());
        }
        names.sort(null);
        return names;
    }

    /** Whether pins live on Pi4J's mock platform. */
    public boolean isMock() {
        return mock;
    }

    /**
     * Creates an output on BCM pin {@code bcm}, driven to {@code initial} at once and to
     * {@code shutdown} when the context shuts down (null: left as it is).
     */
    public OutputPin output(String id, int bcm, Level initial, Level shutdown) {
        checkBcm(id, bcm);
        var builder = DigitalOutput.newConfigBuilder(context)
                .id(id)
                .name(id)
                .address(bcm)
                .initial(initial.toPi4j())
                .provider(outputProvider);
        if (shutdown != null) {
            builder.shutdown(shutdown.toPi4j());
        }
        try {
            return new Pi4jOutputPin(context.create(builder.build()), bcm, initial, () -> writeFaults.get(id));
        } catch (RuntimeException e) {
            throw new GpioException("cannot open output '" + id + "' on BCM " + bcm + ": " + e.getMessage(), e);
        }
    }

    /** Creates an input on BCM pin {@code bcm}; debouncing is ours, so Pi4J's is turned off to let every edge through. */
    public InputPin input(String id, int bcm, Pull pull) {
        checkBcm(id, bcm);
        var config = DigitalInput.newConfigBuilder(context)
                .id(id)
                .name(id)
                .address(bcm)
                .pull(pull.toPi4j())
                .debounce(0L)
                .provider(inputProvider)
                .build();
        try {
            return new Pi4jInputPin(context.create(config), bcm);
        } catch (RuntimeException e) {
            throw new GpioException("cannot open input '" + id + "' on BCM " + bcm + ": " + e.getMessage(), e);
        }
    }

    /**
     * For simulated twins: calls {@code onChange} on the writing thread whenever the output
     * {@code id} changes level.
     */
    public void watchOutput(String id, Consumer<Level> onChange) {
        Objects.requireNonNull(onChange, "onChange");
        DigitalOutput output = context.registry().get(id, DigitalOutput.class);
        output.addListener(event -> onChange.accept(Level.fromPi4j(event.state())));
    }

    /** For simulated twins: the level the output {@code id} is driven to now. */
    public Level outputLevel(String id) {
        return Level.fromPi4j(context.registry().get(id, DigitalOutput.class).state());
    }

    /**
     * For simulated twins on the mock platform: sets the electrical level of the input {@code id}.
     * Pi4J fires the input's listeners on the calling thread, as a real edge would on its own.
     */
    public void driveInput(String id, Level level) {
        if (closed) {
            return; // shutting down: the inputs are gone, and nothing reads them any more
        }
        if (!mock) {
            throw new GpioException("cannot drive input '" + id + "': only mock pins can be driven by software");
        }
        DigitalInput input = context.registry().get(id, DigitalInput.class);
        if (!(input instanceof MockDigitalInput mockInput)) {
            throw new GpioException("input '" + id + "' is not on the mock platform");
        }
        mockInput.mockState(level.toPi4j());
    }

    /**
     * For simulated twins on the mock platform: every write to output {@code id} fails with
     * {@code error} (a broken wire, a dead driver) until called again with empty.
     */
    public void failWrites(String id, Optional<String> error) {
        if (!mock) {
            throw new GpioException("cannot break output '" + id + "': only mock pins can fail on purpose");
        }
        error.ifPresentOrElse(e -> writeFaults.put(id, e), () -> writeFaults.remove(id));
    }

    /** Shuts Pi4J down: every output goes to its declared shutdown level. */
    @Override
    public void close() {
        closed = true;
        if (!context.isShutdown()) {
            context.shutdown();
        }
    }

    private static void checkBcm(String id, int bcm) {
        Objects.requireNonNull(id, "id");
        if (bcm < BCM_MIN || bcm > BCM_MAX) {
            throw new GpioException("'" + id + "' on BCM " + bcm + ": usable BCM pins are " + BCM_MIN + ".." + BCM_MAX);
        }
    }
}
