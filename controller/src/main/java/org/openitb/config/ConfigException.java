package org.openitb.config;

import java.util.List;

/**
 * A config that cannot be used. Each problem is one line naming the key, the value and what is
 * allowed; the message is the first problem, with a count of the rest.
 */
public final class ConfigException extends Exception {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    /** Every problem found, one line each, most likely cause (an unknown key) first. */
    public List<String> problems() {
        return problems;
    }

    private static String summary(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a config exception needs at least one problem");
        }
        return problems.size() == 1
                ? problems.get(0)
                : problems.get(0) + " (and " + (problems.size() - 1) + " more problem" + (problems.size() > 2 ? "s" : "") + ")";
    }
}
