package org.openitb.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openitb.reservoir.Reservoir;
import org.openitb.therapy.Concentration;
import org.openitb.therapy.Volume;

/** Drug out of the syringe against drug into the patient, checked against figures worked by hand. */
class DeliveryLedgerTest {

    private static final long MINUTE = 60_000_000_000L;
    /** 100 nL a microstep and 2000 mcg/mL: each microstep carries 200 ng. */
    private static final Volume STEP = Volume.parse("100nL");
    private static final Concentration C2000 = Concentration.parse("2000mcg/mL");

    private final Reservoir reservoir = new Reservoir(Volume.parse("20mL"), Volume.parse("20mL"), Optional.of(C2000));
    /** A dead volume of 0.2 mL: 2000 microsteps. */
    private final DeliveryLedger ledger = new DeliveryLedger(reservoir, STEP, Volume.parse("0.2mL"), 0);

    @Test
    void primingFillsTheDeadVolumeAndWhatItPushesBeyondReachesThePatient() {
        ledger.book(1_500, C2000, DeliveryLedger.Purpose.PRIMING, 0);
        assertEquals(0, ledger.patientDrug().nanograms(), "all of it into the empty catheter");
        assertEquals(Volume.parse("0.05mL"), ledger.deadVolumeLeft());
        ledger.book(3_000, C2000, DeliveryLedger.Purpose.PRIMING, MINUTE);
        // 500 microsteps fill the rest, 1000 go on into the patient: 1000 x 200 ng.
        assertEquals(200_000, ledger.patientDrug().nanograms());
        assertEquals(600_000, ledger.drug().nanograms(), "out of the syringe: 3000 x 200 ng");
        assertEquals(200_000, ledger.patientDrugLast24h(MINUTE).nanograms());
    }

    @Test
    void aDisconnectedCatheterTakesNothingToThePatientAndDeliveryTakesEverything() {
        ledger.book(10_000, C2000, DeliveryLedger.Purpose.PRIMING_DISCONNECTED, 0);
        assertEquals(0, ledger.patientDrug().nanograms());
        assertEquals(Volume.ZERO, ledger.deadVolumeLeft(), "pushing through an open catheter fills it too");
        ledger.book(10_010, C2000, DeliveryLedger.Purpose.DELIVERY, MINUTE);
        assertEquals(2_000, ledger.patientDrug().nanograms());
    }

    @Test
    void aRestartDuringAPrimingBooksTheStepsBeyondTheSnapshotAsThatPriming() {
        // The snapshot was taken 500 microsteps into a connected priming of an empty catheter; the record is 800 further on.
        DeliveryLedger after = new DeliveryLedger(reservoir, STEP, Volume.parse("0.2mL"), 500);
        after.restore(500, BigInteger.valueOf(500 * 200_000_000_000L), 0, BigInteger.ZERO, 500 * 100_000L,
                List.of(), 1_300, C2000, DeliveryLedger.Purpose.PRIMING, MINUTE);
        assertEquals(0, after.patientDrug().nanograms(), "1300 of the 2000 that fill the catheter: nothing to the patient");
        assertEquals(Volume.parse("0.07mL"), after.deadVolumeLeft());
        assertEquals(260_000, after.drug().nanograms(), "1300 x 200 ng out of the syringe: the safe side for the reservoir");
        DeliveryLedger open = new DeliveryLedger(reservoir, STEP, Volume.parse("0.2mL"), 0);
        open.restore(0, BigInteger.ZERO, 0, BigInteger.ZERO, 0, List.of(), 5_000, C2000,
                DeliveryLedger.Purpose.PRIMING_DISCONNECTED, MINUTE);
        assertEquals(0, open.patientDrug().nanograms(), "a disconnected priming reaches no one, whatever the count");
    }

    @Test
    void duringABridgeTheSyringeGivesItsOwnDrugWhileThePatientGetsTheCatheters() {
        // The catheter still holds 500 mcg/mL when the syringe is refilled at 2000: the bridge pushes
        // the old solution into the patient with the new one behind it.
        Concentration c500 = Concentration.parse("500mcg/mL");
        ledger.assumeDeadVolumeFull();
        ledger.book(746, c500, DeliveryLedger.Purpose.DELIVERY, MINUTE);
        // Out of the syringe: 746 x 100 nL x 2000 mcg/mL = 149.2 mcg; into the patient: 746 x 100 nL x 500 mcg/mL = 37.3 mcg.
        assertEquals(149_200, ledger.drug().nanograms(), "the syringe holds 2000 mcg/mL, whatever the catheter holds");
        assertEquals(37_300, ledger.patientDrug().nanograms(), "the patient gets the catheter's 500 mcg/mL");
    }

    @Test
    void aSyringeOfUnknownConcentrationIsCountedAtTheProgramsUntilARefillSaysOtherwise() {
        Reservoir undeclared = new Reservoir(Volume.parse("20mL"), Volume.parse("20mL"), Optional.empty());
        DeliveryLedger old = new DeliveryLedger(undeclared, STEP, Volume.ZERO, 0);
        old.book(10, C2000, DeliveryLedger.Purpose.DELIVERY, MINUTE);
        assertEquals(2_000, old.drug().nanograms(), "10 x 100 nL x 2000 mcg/mL, as a state from before refills counted it");
        assertEquals(2_000, old.patientDrug().nanograms());
    }

    @Test
    void theLast24HoursForgetWhatIsOlderThanADayInFiveMinuteSteps() {
        ledger.assumeDeadVolumeFull();
        ledger.book(100, C2000, DeliveryLedger.Purpose.DELIVERY, 2 * MINUTE); // 20 000 ng in the step 0-5 min
        ledger.book(150, C2000, DeliveryLedger.Purpose.DELIVERY, 60 * MINUTE); // 10 000 ng at 1 h
        assertEquals(30_000, ledger.patientDrugLast24h(24 * 60 * MINUTE + 4 * MINUTE).nanograms(), "24 h 4 min on: still counted");
        assertEquals(10_000, ledger.patientDrugLast24h(24 * 60 * MINUTE + 5 * MINUTE).nanograms(), "the first step has left the day");
        assertEquals(0, ledger.patientDrugLast24h(25 * 60 * MINUTE + 5 * MINUTE).nanograms());
        assertEquals(30_000, ledger.patientDrug().nanograms(), "the total keeps everything");
    }

    @Test
    void whatASavedStateKeepsByTheHourStaysInTheDayAsLongAsAnyOfItMayBelongThere() {
        ledger.assumeDeadVolumeFull();
        ledger.book(100, C2000, DeliveryLedger.Purpose.DELIVERY, 2 * MINUTE);
        ledger.book(150, C2000, DeliveryLedger.Purpose.DELIVERY, 50 * MINUTE);
        var saved = ledger.patientByHour().byHour();
        assertEquals(1, saved.size(), "one hour");
        assertEquals(50 * MINUTE, saved.get(0).startNanos(), "dated by its latest step");
        DeliveryLedger after = new DeliveryLedger(reservoir, STEP, Volume.parse("0.2mL"), 150);
        after.restore(150, ledger.drugBillionths(), 0, ledger.patientBillionths(), 2_000 * 100_000L, saved, 150, C2000,
                DeliveryLedger.Purpose.DELIVERY, 60 * MINUTE);
        assertEquals(30_000, after.patientDrugLast24h(24 * 60 * MINUTE + 54 * MINUTE).nanograms(),
                "the 2-minute step is merged into one dated 50 min: kept, the safe side");
        assertEquals(0, after.patientDrugLast24h(24 * 60 * MINUTE + 55 * MINUTE).nanograms());
    }
}
