package org.openitb.therapy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The drug library applied: every program and bolus is checked here before it takes effect, and
 * each finding names the value, the limit, its unit and the config key that sets it.
 */
public final class TherapyLimits {

    private static final long DAY_NANOS = Duration.ofDays(1).toNanos();

    private final DrugLibrary library;
    private final PatientBolusPolicy patient;

    public TherapyLimits(DrugLibrary library, PatientBolusPolicy patient) {
        this.library = Objects.requireNonNull(library, "library");
        this.patient = Objects.requireNonNull(patient, "patient");
    }

    public DrugLibrary library() {
        return library;
    }

    public PatientBolusPolicy patient() {
        return patient;
    }

    /**
     * A new program against the library, and against the programs in force during the last 24 h
     * ({@code inForce}, oldest first; empty for a first program) for the titration limit.
     */
    public Verdict program(Program candidate, List<Program> inForce) {
        return program(candidate, inForce, "in force in the last 24 h");
    }

    /** As {@link #program(Program, List)}, the titration measured against {@code reference}, described as {@code what}. */
    public Verdict program(Program candidate, List<Program> reference, String what) {
        List<Program> inForce = reference;
        List<Finding> findings = new ArrayList<>();
        concentration(candidate.concentration(), findings);
        DailyRate daily = candidate.dailyDose();
        if (candidate.maxBasalRate().nanogramsPerDay() == 0 && candidate instanceof ContinuousProgram) {
            findings.add(Finding.hard("a rate of 0mcg/day is not a program; use suspend to stop delivery"));
        }
        if (candidate instanceof FlexProgram flex && flex.schedule().rates().stream().anyMatch(r -> r.nanogramsPerDay() == 0)) {
            // Hours of no delivery with no alarm: a stop must be a suspension, which has its alarms.
            findings.add(Finding.hard("a flex step of 0mcg/day stops delivery for hours with no alarm; use suspend --for to stop delivery"));
        }
        DailyRate least = library.hardMinDaily();
        List<DailyRate> rates = candidate instanceof FlexProgram flex ? flex.schedule().rates() : List.of(candidate.maxBasalRate());
        rates.stream().filter(r -> r.nanogramsPerDay() > 0 && r.compareTo(least) < 0).min(DailyRate::compareTo)
                .ifPresent(r -> findings.add(Finding.hard("a rate of " + r + " is below the least the library allows, " + least
                        + " (library.daily-dose.hard-min): it stops delivery in all but name, with no alarm; use suspend to stop delivery")));
        if (candidate.maxBasalRate().compareTo(library.hardMaxDaily()) > 0) {
            findings.add(Finding.hard("basal rate " + candidate.maxBasalRate() + " is above the hard limit of "
                    + library.hardMaxDaily() + " (library.daily-dose.hard-max)"));
        } else if (daily.compareTo(library.hardMaxDaily()) > 0) {
            findings.add(Finding.hard("daily dose " + daily + " is above the hard limit of " + library.hardMaxDaily()
                    + " (library.daily-dose.hard-max)"));
        } else if (daily.compareTo(library.softMaxDaily()) > 0) {
            findings.add(Finding.soft("daily dose " + daily + " is above the soft limit of " + library.softMaxDaily()
                    + " (library.daily-dose.soft-max)"));
        } else if (candidate.maxBasalRate().compareTo(library.softMaxDaily()) > 0) {
            // A flex step runs at its rate for hours whatever the day's total: the rate is held to the limit too.
            findings.add(Finding.soft("basal rate " + candidate.maxBasalRate() + " is above the soft limit of " + library.softMaxDaily()
                    + " (library.daily-dose.soft-max)"));
        }
        candidate.periodicBolus().ifPresent(p -> bolusSize(p.dose(), p.over(), findings));
        if (!inForce.isEmpty()) {
            Titration.check(candidate, inForce, what, library.maxChangePerDay(), library.origin(), findings);
        }
        return new Verdict(findings);
    }

    /** A clinician's bolus on top of the {@code running} program, given the boluses of the last 24 h. */
    public Verdict bolus(Dose dose, Duration over, Program running, List<BolusRecord> last24h, Dose reachedPatient, long nowNanos) {
        List<Finding> findings = new ArrayList<>();
        bolusSize(dose, over, findings);
        // A clinician's bolus keeps library.bolus.lockout from any bolus, the patient's included.
        last24h.stream().filter(b -> b.kind() == BolusKind.CLINICIAN || b.kind() == BolusKind.PATIENT)
                .max(Comparator.comparingLong(BolusRecord::startNanos))
                .ifPresent(last -> lockout(last, nowNanos, findings));
        dayTotal(dose, running, last24h, reachedPatient, findings);
        return new Verdict(findings);
    }

    /** The patient's bolus button, against the patient-bolus policy and the daily limits. */
    public Verdict patientBolus(Program running, List<BolusRecord> last24h, Dose reachedPatient, long nowNanos) {
        List<Finding> findings = new ArrayList<>();
        if (!patient.enabled()) {
            findings.add(Finding.hard("patient boluses are off (patient-bolus.dose, patient-bolus.max-per-day)"));
            return new Verdict(findings);
        }
        // The patient's button waits library.bolus.lockout after a clinician's bolus, and patient-bolus.lockout after its own.
        last24h.stream().filter(b -> b.kind() == BolusKind.CLINICIAN).max(Comparator.comparingLong(BolusRecord::startNanos))
                .ifPresent(last -> lockout(last, nowNanos, findings));
        List<BolusRecord> mine = last24h.stream().filter(b -> b.kind() == BolusKind.PATIENT).toList();
        mine.stream().mapToLong(BolusRecord::startNanos).max().ifPresent(last -> {
            long since = nowNanos - last;
            if (since < patient.lockout().toNanos()) {
                findings.add(Finding.hard("a patient bolus started " + ago(since) + " ago; the lockout is "
                        + Durations.format(patient.lockout()) + " (patient-bolus.lockout): wait "
                        + waitFor(patient.lockout().toNanos() - since)));
            }
        });
        if (mine.size() >= patient.maxPerDay()) {
            findings.add(Finding.hard(mine.size() + " patient boluses in the last 24 h; the limit is " + patient.maxPerDay()
                    + " (patient-bolus.max-per-day)"));
        }
        long taken = mine.stream().mapToLong(b -> b.dose().nanograms()).sum();
        if (taken + patient.dose().nanograms() > patient.maxDosePerDay().nanograms()) {
            findings.add(Finding.hard("another " + patient.dose() + " would bring patient boluses in the last 24 h to "
                    + new Dose(taken + patient.dose().nanograms()) + "; the limit is " + patient.maxDosePerDay()
                    + " (patient-bolus.max-dose-per-day)"));
        }
        dayTotal(patient.dose(), running, last24h, reachedPatient, findings);
        return new Verdict(findings);
    }

    /** A hard finding if {@code last} started within library.bolus.lockout of {@code nowNanos}. */
    private void lockout(BolusRecord last, long nowNanos, List<Finding> findings) {
        long since = nowNanos - last.startNanos();
        if (since < library.bolusLockout().toNanos()) {
            findings.add(Finding.hard((last.kind() == BolusKind.PATIENT ? "a patient bolus" : "a bolus") + " started " + ago(since)
                    + " ago; the lockout between a clinician's bolus and any other is " + Durations.format(library.bolusLockout())
                    + " (library.bolus.lockout): wait " + waitFor(library.bolusLockout().toNanos() - since)));
        }
    }

    private void concentration(Concentration c, List<Finding> findings) {
        concentrationFinding(c).ifPresent(f -> findings.add(Finding.hard(f)));
    }

    /** Why {@code c} may not be used, if it is not in the library. */
    public Optional<String> concentrationFinding(Concentration c) {
        if (library.concentrations().contains(c)) {
            return Optional.empty();
        }
        return Optional.of("concentration " + c + " is not in the drug library (library.concentrations: "
                + library.concentrations().stream().map(Concentration::toString).collect(Collectors.joining(", ")) + ")");
    }

    private void bolusSize(Dose dose, Duration over, List<Finding> findings) {
        if (dose.nanograms() == 0) {
            findings.add(Finding.hard("a bolus of 0mcg is not a bolus"));
        }
        if (dose.compareTo(library.maxBolus()) > 0) {
            findings.add(Finding.hard("bolus " + dose + " is above the limit of " + library.maxBolus() + " (library.bolus.max)"));
        }
        if (over.compareTo(library.bolusMinDuration()) < 0) {
            findings.add(Finding.hard("a bolus over " + Durations.format(over) + " is faster than the minimum of "
                    + Durations.format(library.bolusMinDuration()) + " (library.bolus.min-duration)"));
        }
        if (over.compareTo(Duration.ofDays(1)) > 0) {
            findings.add(Finding.hard("a bolus over " + Durations.format(over) + " is longer than a day; program a rate instead"));
        }
    }

    /**
     * A bolus against the daily limits, two ways. Ahead: the running program's daily dose plus the
     * clinician and patient boluses of the last 24 h plus this one. Behind: the drug that actually
     * reached the patient in the last 24 h ({@code reachedPatient}, whatever path it took: a
     * priming beyond the dead volume, programs since changed) plus this one.
     */
    private void dayTotal(Dose dose, Program running, List<BolusRecord> last24h, Dose reachedPatient, List<Finding> findings) {
        long boluses = last24h.stream().filter(b -> b.kind() == BolusKind.CLINICIAN || b.kind() == BolusKind.PATIENT)
                .mapToLong(b -> b.dose().nanograms()).sum();
        long ahead = running.dailyDose().nanogramsPerDay() + boluses + dose.nanograms();
        long behind = reachedPatient.nanograms() + dose.nanograms();
        String detail = ahead >= behind
                ? " (daily dose " + running.dailyDose() + ", " + new Dose(boluses) + " of boluses in the last 24 h and this " + dose + ")"
                : " (" + reachedPatient + " reached the patient in the last 24 h, counted in 5-minute steps, and this " + dose + ")";
        long total = Math.max(ahead, behind);
        if (total > library.hardMaxDaily().nanogramsPerDay()) {
            findings.add(Finding.hard("this bolus would bring 24 h to " + new Dose(total) + detail + "; the hard limit is "
                    + library.hardMaxDaily() + " (library.daily-dose.hard-max)"));
        } else if (total > library.softMaxDaily().nanogramsPerDay()) {
            findings.add(Finding.soft("this bolus would bring 24 h to " + new Dose(total) + detail + "; the soft limit is "
                    + library.softMaxDaily() + " (library.daily-dose.soft-max)"));
        }
    }

    /** How long ago, in whole minutes gone (46.5 minutes is 46m), so that it and {@link #waitFor} add up to the lockout. */
    private static String ago(long nanos) {
        long minutes = nanos / 60_000_000_000L;
        return minutes == 0 ? "under 1m" : minutes(minutes);
    }

    /** How long to wait, in minutes rounded up (13.5 minutes is 14m): waiting that long is always enough. */
    private static String waitFor(long nanos) {
        return minutes(Math.max(1, (nanos + 59_999_999_999L) / 60_000_000_000L));
    }

    private static String minutes(long minutes) {
        return minutes >= 60 ? minutes / 60 + "h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + "m") : minutes + "m";
    }

    /** The part of {@code all} younger than 24 h at {@code nowNanos}. */
    public static List<BolusRecord> last24h(List<BolusRecord> all, long nowNanos) {
        return all.stream().filter(b -> nowNanos - b.startNanos() < DAY_NANOS).toList();
    }
}
