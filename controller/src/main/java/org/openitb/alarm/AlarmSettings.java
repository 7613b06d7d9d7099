package org.openitb.alarm;

import java.time.Duration;
import java.util.Objects;
import org.openitb.therapy.Volume;

/**
 * The alarm supervisor's thresholds, each bounded by the config loader.
 *
 * @param silence              how long an acknowledgement silences an alarm whose condition holds on
 * @param largeTolerance       delivered and ideal apart by more than this alarms at once
 * @param smallTolerance       ...and by more than this, after {@code sustained}
 * @param sustained            how long the small tolerance may be exceeded before it alarms
 * @param suspendAlarmAfter    a suspension longer than this is SUSPENDED_TOO_LONG (medium)
 * @param suspendEscalateAfter ...and longer than this, high
 * @param refillNotice         REFILL_DUE this long before the reservoir becomes low
 * @param restartMinGap        a restart after a gap of at least this raises CONTROLLER_RESTARTED
 * @param storageLowFreeMb     less free space than this (MiB) under the state directory is STORAGE_LOW
 * @param risk                 the withdrawal-risk estimate's parameters
 */
public record AlarmSettings(Duration silence, Volume largeTolerance, Volume smallTolerance, Duration sustained,
        Duration suspendAlarmAfter, Duration suspendEscalateAfter, Duration refillNotice, Duration restartMinGap,
        long storageLowFreeMb, RiskSettings risk) {

    public AlarmSettings {
        Objects.requireNonNull(silence, "silence");
        Objects.requireNonNull(largeTolerance, "largeTolerance");
        Objects.requireNonNull(smallTolerance, "smallTolerance");
        Objects.requireNonNull(sustained, "sustained");
        Objects.requireNonNull(suspendAlarmAfter, "suspendAlarmAfter");
        Objects.requireNonNull(suspendEscalateAfter, "suspendEscalateAfter");
        Objects.requireNonNull(refillNotice, "refillNotice");
        Objects.requireNonNull(restartMinGap, "restartMinGap");
        Objects.requireNonNull(risk, "risk");
        if (smallTolerance.compareTo(largeTolerance) >= 0) {
            throw new IllegalArgumentException("the small tolerance (" + smallTolerance + ") must be below the large one (" + largeTolerance + ")");
        }
        if (suspendEscalateAfter.compareTo(suspendAlarmAfter) <= 0) {
            throw new IllegalArgumentException("a suspension escalates (" + suspendEscalateAfter + ") only after it alarms ("
                    + suspendAlarmAfter + ")");
        }
    }
}
