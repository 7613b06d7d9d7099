package org.openitb.alarm;

import org.openitb.drivers.annunciator.Priority;

/**
 * The alarm conditions of the contract (and a few more), each with its priority in the sense of
 * IEC 60601-1-8 and whether it tells of a risk of withdrawal (delivery stopping or about to) or of
 * overdose. High alarms (and sensor faults) latch: they stay until acknowledged even after their
 * condition clears.
 */
public enum AlarmType {
    OCCLUSION("OCC", Priority.HIGH, true, false),
    RESERVOIR_EMPTY("EMP", Priority.HIGH, true, false),
    END_OF_TRAVEL("EOT", Priority.HIGH, true, false),
    MOTOR_STALL("STL", Priority.HIGH, true, false),
    DELIVERY_DEFICIT("DEF", Priority.HIGH, true, false),
    OVER_DELIVERY("OVR", Priority.HIGH, false, true),
    CONTROLLER_RESTARTED("RST", Priority.HIGH, true, false),
    /**
     * The pump's memory of the therapy was lost (a damaged database set aside, a state directory it
     * cannot use): it does not know the program, the syringe or what was delivered, and delivers
     * nothing until an operator refills and programs it again.
     */
    THERAPY_STATE_LOST("LST", Priority.HIGH, true, false),
    /**
     * The controller's own loop did not feed the motor watchdog in time (a hung or starved thread):
     * the motor was stopped into its safe state and is retried automatically. Not the motor's fault.
     */
    CONTROLLER_FAULT("CTL", Priority.HIGH, true, false),
    /** The dose loop stopped reporting: whatever its last word was (even "halted"), nothing is being delivered under control. */
    DOSE_LOOP_HUNG("HNG", Priority.HIGH, true, false),
    /** An alarm system that cannot sound is itself an alarm, told on every other channel. */
    ANNUNCIATOR_FAILURE("ANN", Priority.HIGH, false, false),
    /** Medium at first, escalating to high when the suspension goes on. */
    SUSPENDED_TOO_LONG("SUS", Priority.MEDIUM, true, false),
    /**
     * A program runs on a catheter not yet primed: its first dead volume only fills the catheter, and
     * no drug reaches the patient until it is full (hours at a maintenance rate). Medium, high once the
     * withdrawal-risk estimate is critical; it ends when the catheter is full.
     */
    CATHETER_NOT_PRIMED("CAT", Priority.MEDIUM, true, false),
    RESERVOIR_LOW("LOW", Priority.MEDIUM, true, false),
    /** Latches although medium: a switch that chatters for a second and is quiet again must not go unseen. */
    SENSOR_FAULT("SEN", Priority.MEDIUM, false, false),
    /** The level switch and the volume model disagree: a leak (runs dry early) or a refill error (wrong amount or drug). */
    RESERVOIR_DISCREPANCY("DSC", Priority.MEDIUM, true, true),
    /** The pump's memory is not being written: a restart now would lose what changed. */
    STORAGE_FAILURE("STO", Priority.MEDIUM, false, false),
    /**
     * Steps went out before the write-ahead record had them on disk (a disk too slow for
     * {@code store.max-crash-uncertainty}): delivery goes on; a crash now would book them on the safe side.
     */
    STORAGE_TOO_SLOW("SLO", Priority.LOW, false, false),
    REFILL_DUE("DUE", Priority.LOW, false, false),
    BROKER_UNREACHABLE("BRK", Priority.LOW, false, false),
    STORAGE_LOW("DSK", Priority.LOW, false, false);

    private final String code;
    private final Priority priority;
    private final boolean withdrawalRisk;
    private final boolean overdoseRisk;

    /**
     * What a person watching the pump should do, in a few plain words: a monitor prints it beside the
     * alarm. Every type has one (the switch has no default, so a new type does not compile without it).
     */
    public String action() {
        return switch (this) {
            case OCCLUSION -> "check the catheter line for a kink or a closed clamp, then acknowledge";
            case RESERVOIR_EMPTY -> "refill the syringe now: delivery has stopped";
            case END_OF_TRAVEL -> "the plunger is at its end: refill or replace the syringe now";
            case MOTOR_STALL -> "check the pump's mechanism for a jam: delivery is halted until it moves";
            case DELIVERY_DEFICIT -> "delivery is behind the prescription: check the pump and the line, and watch for withdrawal signs";
            case OVER_DELIVERY -> "more than prescribed has gone out: stop the pump and call the clinician";
            case CONTROLLER_RESTARTED -> "the pump restarted: check its program and the dose it missed, then acknowledge";
            case THERAPY_STATE_LOST -> "the pump has lost its program: a clinician must program it again now";
            case CONTROLLER_FAULT -> "the controller stopped driving the motor: check that delivery has resumed, else call for help";
            case DOSE_LOOP_HUNG -> "dosing has hung and delivery has stopped: restart the pump or call for help";
            case ANNUNCIATOR_FAILURE -> "the pump cannot sound its alarms: keep watching remotely and have it repaired";
            case SUSPENDED_TOO_LONG -> "delivery is suspended: resume it or call the clinician, and watch for withdrawal signs";
            case CATHETER_NOT_PRIMED -> "prime the catheter now (prime --volume with the dead volume left): until it is full the patient gets"
                    + " no drug";
            case RESERVOIR_LOW -> "refill soon";
            case SENSOR_FAULT -> "a sensor is not reliable: check its wiring (the pump keeps delivering)";
            case RESERVOIR_DISCREPANCY -> "the syringe's level and the pump's count disagree: check for a leak or a refill error";
            case STORAGE_FAILURE -> "the pump's memory cannot be written (it keeps delivering): replace the SD card soon";
            case STORAGE_TOO_SLOW -> "the pump's memory is too slow (it keeps delivering): replace the SD card soon";
            case REFILL_DUE -> "book the refill";
            case BROKER_UNREACHABLE -> "remote alarms may be late: check the pump's network";
            case STORAGE_LOW -> "free space on the pump's disk";
        };
    }

    AlarmType(String code, Priority priority, boolean withdrawalRisk, boolean overdoseRisk) {
        this.code = code;
        this.priority = priority;
        this.withdrawalRisk = withdrawalRisk;
        this.overdoseRisk = overdoseRisk;
    }

    /** Three letters that start this type's alarm ids, e.g. {@code OCC-...}. */
    public String code() {
        return code;
    }

    /** Whether it stays until acknowledged after its condition clears: every high alarm, and an intermittent sensor fault. */
    public boolean latches() {
        return priority == Priority.HIGH || this == SENSOR_FAULT;
    }

    /** The priority it is raised at. */
    public Priority priority() {
        return priority;
    }

    public boolean withdrawalRisk() {
        return withdrawalRisk;
    }

    public boolean overdoseRisk() {
        return overdoseRisk;
    }
}
