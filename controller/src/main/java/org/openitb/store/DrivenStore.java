package org.openitb.store;

import java.io.IOException;

/**
 * The two lanes of a store opened with {@link PumpStore#openDriven}, run by a simulated disk on
 * simulated time (TigerBeetle's simulated storage is the model): it chooses when each commit
 * begins and lands, whether it fails, and what a power cut in the middle of one leaves. The bytes
 * still go to the real SQLite file and the real mark file, so a restart reads what a pump would.
 */
public final class DrivenStore {

    private final PumpStore store;
    private final MarkLane lane;

    DrivenStore(PumpStore store, MarkLane lane) {
        this.store = store;
        this.lane = lane;
    }

    /** Whether the database lane has something to write. */
    public boolean databaseHasWork() {
        return store.hasWork();
    }

    /** Commits everything waiting for the database now, or fails as a failing disk does if {@code fail}; whether it was taken. */
    public boolean commitDatabase(boolean fail) {
        return store.commitDriven(fail);
    }

    /** Whether the dose loop wants a higher write-ahead mark than the one on disk. */
    public boolean markWanted() {
        return lane.wanted();
    }

    /** The write-ahead mark on disk (microsteps). */
    public long durableMark() {
        return lane.durable();
    }

    /** The mark a commit beginning now writes: the one wanted, or the one on disk again (a heartbeat). */
    public long beginMark() {
        return lane.begin();
    }

    /** The commit of {@code mark} begun {@code latencyNanos} ago lands: on disk, and the loop's steps covered by it. */
    public void landMark(long mark, long latencyNanos) throws IOException {
        lane.land(mark, latencyNanos);
    }

    /** The commit begun earlier failed with {@code why}: the mark stays where it was, and the store reports the failure. */
    public void failMark(String why) {
        lane.fail(why);
    }

    /**
     * The power goes. With {@code tornMark}, it goes while the record of {@code mark} is half
     * written; otherwise a commit in flight simply never lands. What the database had not taken is lost.
     */
    public void cut(boolean tornMark, long mark) throws IOException {
        if (tornMark) {
            lane.tear(mark);
        }
        store.cut();
    }
}
