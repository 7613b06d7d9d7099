package org.openitb.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import org.openitb.store.CommitLatency;
import org.openitb.store.DrivenStore;

/**
 * The pump's state disk on simulated time, drawn from a seed, in the manner of TigerBeetle's
 * simulated storage: every commit of either lane (the database, the write-ahead mark) takes a
 * latency drawn from the session's profile, a failing spell makes commits fail, and a power cut
 * leaves a commit in flight landed, lost or, for the mark, torn. The bytes go to the real files.
 * <p>
 * It is also the referee of a power cut, from its own account (pulses on the STEP pin and the
 * marks it let land), not the store's: what had gone out, what the disk held, and the most that
 * went out beyond a landed mark before the last landing.
 */
final class SimulatedStorage {

    /** How fast the disk is, for a whole session. */
    enum Profile {
        /** A good disk: 1..5 ms a commit. */
        FAST,
        /** A Raspberry Pi's SD card under load ({@link CommitLatency#sdCard}): about 5 ms, a slow percent of 100..300 ms, 1 s stalls. */
        SD_CARD,
        /** A worn card: 200 ms more than an SD card's every commit. */
        SLOW,
        /** A card that stalls: fast, but one commit in 20 takes 0.5..3 s. */
        STALLING
    }

    /** What a power cut does to a mark being written. */
    private enum InFlight { LANDED, LOST, TORN }

    /** What a power cut left, by this disk's own account; {@code emitted} and the marks count microsteps as the pump does. */
    record Cut(long emitted, long durableMark, long peakAtLastLanding, String markInFlight) {
        /** Steps that went out beyond the last landed mark after the last record was written: no record could know of them. */
        long unrecorded() {
            return Math.max(0, emitted - durableMark - peakAtLastLanding);
        }
    }

    private static final long HEARTBEAT_NANOS = 10_000_000_000L;
    private static final long RETRY_NANOS = 2_000_000_000L;
    private static final long NEVER = Long.MAX_VALUE;

    private final Random random;
    private final Profile profile;
    private final CommitLatency latency;
    private final long boundMicrosteps;
    private DrivenStore store;
    private Runnable onDatabaseLanding = () -> { };
    private boolean failing;
    /** Nothing lands before this (pump clock; none if {@link #NEVER}): the card is stalled. */
    private long stalledUntil = NEVER;

    private long markInFlight = -1;
    private long markBeganAt;
    private long markLandsAt = NEVER;
    private long markNotBefore;
    private long markHeartbeatAt;
    private boolean dbInFlight;
    private long dbLandsAt = NEVER;
    private long dbNotBefore;
    private long dbHeartbeatAt;

    private long emitted;
    private long durable;
    private long peak;
    private long peakAtLanding;
    private long firstBeyondBoundNanos = -1;

    private long commits;
    private long failedCommits;
    private long slowestNanos;
    private long beyondBoundPulses;
    private long worstPeak;

    /** A disk whose profile is drawn from {@code seed} too. */
    SimulatedStorage(long seed, long boundMicrosteps) {
        this(seed, boundMicrosteps, null);
    }

    /** A disk of {@code profile} (drawn from {@code seed} if null), for a scenario that stalls it itself. */
    SimulatedStorage(long seed, long boundMicrosteps, Profile profile) {
        this.random = new Random(new SplittableRandom(seed ^ 0x5D15CL).nextLong()); // nearby seeds give java.util.Random nearby first draws
        Profile drawn = Profile.values()[random.nextInt(Profile.values().length)];
        this.profile = profile == null ? drawn : profile;
        CommitLatency sd = CommitLatency.sdCard(random.nextLong());
        this.latency = switch (this.profile) {
            case FAST -> () -> 1_000_000L + random.nextInt(4_000_000);
            case SD_CARD -> sd;
            case SLOW -> () -> 200_000_000L + sd.nextNanos();
            case STALLING -> () -> random.nextInt(20) == 0 ? 500_000_000L + random.nextInt(2_500_000) * 1_000L : 1_000_000L + random.nextInt(4_000_000);
        };
        this.boundMicrosteps = boundMicrosteps;
    }

    Profile profile() {
        return profile;
    }

    /** Runs {@code drivenStore}'s commits from {@code now}: a pump started on this disk, its count at {@code startMicrosteps}. */
    void attach(DrivenStore drivenStore, long startMicrosteps, long now) {
        this.store = drivenStore;
        markInFlight = -1;
        markLandsAt = NEVER;
        dbInFlight = false;
        dbLandsAt = NEVER;
        markNotBefore = now;
        markHeartbeatAt = now; // the lane's first commit at start
        dbNotBefore = now;
        dbHeartbeatAt = now + HEARTBEAT_NANOS;
        emitted = startMicrosteps;
        durable = drivenStore.durableMark();
        peak = 0;
        peakAtLanding = 0;
        firstBeyondBoundNanos = -1;
        stalledUntil = NEVER; // a stall ends with the power; the new pump's clock starts again
    }

    /** Called after each database commit lands. */
    void onDatabaseLanding(Runnable listener) {
        this.onDatabaseLanding = listener;
    }

    /** From now on commits fail, or succeed again. */
    void failing(boolean on) {
        failing = on;
    }

    /** The card stalls from {@code now} for {@code nanos}: commits in flight and those begun meanwhile land no earlier than its end. */
    void stall(long now, long nanos) {
        stalledUntil = now + nanos;
        if (markInFlight >= 0) {
            markLandsAt = afterStall(markLandsAt);
        }
        if (dbInFlight) {
            dbLandsAt = afterStall(dbLandsAt);
        }
    }

    private boolean stalled(long now) {
        return stalledUntil != NEVER && now < stalledUntil;
    }

    private long afterStall(long landsAt) {
        return stalledUntil == NEVER ? landsAt : Math.max(landsAt, stalledUntil);
    }

    /** A microstep went out on the STEP pin at {@code now}. */
    void pulse(long now) {
        emitted++;
        long beyond = emitted - durable;
        if (beyond > peak) {
            peak = beyond;
            worstPeak = Math.max(worstPeak, peak);
        }
        if (beyond > boundMicrosteps) {
            beyondBoundPulses++;
            if (firstBeyondBoundNanos < 0) {
                firstBeyondBoundNanos = now;
            }
        }
    }

    /** When a step first went out more than the bound beyond the mark, since the last {@link #alarmSeen}; -1 if none. */
    long firstBeyondBoundNanos() {
        return firstBeyondBoundNanos;
    }

    void alarmSeen() {
        firstBeyondBoundNanos = -1;
    }

    /** Lands or begins what is due at {@code now}; returns when it next has something to do. */
    long tick(long now) {
        if (markInFlight >= 0 && now - markLandsAt >= 0) {
            landMark(now);
        }
        if (markInFlight < 0 && now - markNotBefore >= 0 && (store.markWanted() || now - markHeartbeatAt >= 0)) {
            markInFlight = store.beginMark();
            markBeganAt = now;
            markLandsAt = afterStall(now + draw());
        }
        if (dbInFlight && now - dbLandsAt >= 0) {
            landDatabase(now);
        }
        if (!dbInFlight && now - dbNotBefore >= 0 && (store.databaseHasWork() || now - dbHeartbeatAt >= 0)) {
            dbInFlight = true;
            dbLandsAt = afterStall(now + draw());
        }
        // Not before a retry is due, even for a heartbeat: asking again at once would spin at one instant.
        long markNext = markInFlight >= 0 ? markLandsAt : Math.max(markNotBefore, store.markWanted() ? markNotBefore : markHeartbeatAt);
        long dbNext = dbInFlight ? dbLandsAt : Math.max(dbNotBefore, store.databaseHasWork() ? dbNotBefore : dbHeartbeatAt);
        return Math.min(markNext, dbNext);
    }

    private long draw() {
        long nanos = latency.nextNanos();
        slowestNanos = Math.max(slowestNanos, nanos);
        return nanos;
    }

    private void landMark(long now) {
        long value = markInFlight;
        markInFlight = -1;
        markLandsAt = NEVER;
        if (failing) {
            failedCommits++;
            store.failMark("input/output error (simulated)");
            markNotBefore = now + RETRY_NANOS;
            return;
        }
        commits++;
        peakAtLanding = peak; // the record carries what went out beyond its mark so far
        try {
            store.landMark(value, now - markBeganAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        durable = Math.max(durable, value);
        markNotBefore = now;
        markHeartbeatAt = now + HEARTBEAT_NANOS;
    }

    private void landDatabase(long now) {
        dbInFlight = false;
        dbLandsAt = NEVER;
        if (store.commitDatabase(failing)) {
            commits++;
            dbNotBefore = now;
            dbHeartbeatAt = now + HEARTBEAT_NANOS;
            onDatabaseLanding.run();
        } else {
            failedCommits++;
            dbNotBefore = now + RETRY_NANOS;
        }
    }

    /**
     * A command's sender waits for the database as the control socket does: the commit goes at
     * once, unless the disk is failing. Whether it was taken.
     */
    boolean saveNow(long now) {
        if (stalled(now)) {
            return false; // a stalled card takes nothing now; the lane's commit lands when it can
        }
        if (store.commitDatabase(failing)) {
            onDatabaseLanding.run();
            return true;
        }
        failedCommits++;
        return false;
    }

    /** The power goes at {@code now}: a mark in flight lands, is lost or is torn; a database commit in flight lands or is lost. */
    Cut cut(long now) {
        String inFlight = "none";
        boolean torn = false;
        long value = markInFlight;
        if (markInFlight >= 0) {
            InFlight outcome = InFlight.values()[failing ? 1 + random.nextInt(2) : random.nextInt(3)];
            if (outcome == InFlight.LANDED && stalled(now)) {
                outcome = InFlight.LOST; // a stalled card lands nothing
            }
            inFlight = outcome.name().toLowerCase(Locale.ROOT);
            if (outcome == InFlight.LANDED) {
                landMark(now);
            }
            torn = outcome == InFlight.TORN;
        }
        if (dbInFlight && !failing && !stalled(now) && random.nextBoolean()) {
            landDatabase(now);
        }
        Cut cut = new Cut(emitted, durable, peakAtLanding, inFlight);
        try {
            store.cut(torn, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cut;
    }

    /** The pump's count of the last microstep out, by this disk's account. */
    long emitted() {
        return emitted;
    }

    /** Steps out beyond the landed mark now. */
    long uncovered() {
        return Math.max(0, emitted - durable);
    }

    /** The most that went out beyond a landed mark at once, this pump's run. */
    long peak() {
        return peak;
    }

    String line() {
        return String.format("disk %s: %d commits, %d failed, slowest %d ms, %d steps beyond the bound, largest uncovered run %d",
                profile.name().toLowerCase(Locale.ROOT).replace('_', '-'), commits, failedCommits, slowestNanos / 1_000_000,
                beyondBoundPulses, worstPeak);
    }
}
