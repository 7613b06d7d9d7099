package org.openitb.therapy;

import java.util.List;
import java.util.Optional;

/** The drug library's answer to a request: every limit it runs into, hard ones first. */
public record Verdict(List<Finding> findings) {

    public static final Verdict ACCEPTED = new Verdict(List.of());

    public Verdict {
        findings = findings.stream()
                .sorted((a, b) -> a.severity().compareTo(b.severity()))
                .toList();
    }

    /** The reason to refuse, if there is one: a hard finding always; a soft one unless {@code overrideSoftLimit}. */
    public Optional<String> refusal(boolean overrideSoftLimit) {
        for (Finding f : findings) {
            if (f.severity() == Finding.Severity.HARD) {
                return Optional.of(f.message() + "; hard limits cannot be overridden");
            }
        }
        if (!overrideSoftLimit && !findings.isEmpty()) {
            return Optional.of(findings.get(0).message() + "; this is a soft limit: repeat with --override-soft-limit to accept it");
        }
        return Optional.empty();
    }

    /** Soft limits that an override let through, for the journal. */
    public List<String> overridden() {
        return findings.stream().filter(f -> f.severity() == Finding.Severity.SOFT).map(Finding::message).toList();
    }
}
