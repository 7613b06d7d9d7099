package org.openitb.control;

import java.util.Optional;
import org.openitb.accuracy.TestPlan;
import org.openitb.accuracy.TestRefused;
import org.openitb.accuracy.TestStatus;

/** The gravimetric test the daemon hosts, as the {@code accuracy} verb drives it: one test at a time. */
public interface AccuracyControl {

    /** Starts a test of the running program's rate, named {@code name} (or after its start time), as {@code choices} say. */
    TestStatus start(Optional<String> name, TestPlan.Choices choices, String who) throws TestRefused;

    /** The test under way, or the last one, if there was one since the daemon started. */
    Optional<TestStatus> status();

    /** Ends the test under way now and writes its report from what it read. */
    TestStatus stop(String who) throws TestRefused;
}
