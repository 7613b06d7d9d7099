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
