package org.openitb.cli;

import java.util.Collection;
import java.util.Optional;

/**
 * The word a mistyped one was meant to be: the closest by edit distance (a swap of two neighbours
 * counts as one edit, the commonest typo), if it is close enough to be a typo and not another word.
 */
final class Typos {

    /** Longer typed words are cut here before comparing: a command line word, not a document. */
    private static final int MAX_LENGTH = 64;

    private Typos() {
    }

    /** The candidate within two edits of {@code typed} (one for words of four letters or fewer), the closest first. */
    static Optional<String> closest(String typed, Collection<String> candidates) {
        String word = strip(typed);
        int allowed = word.length() <= 4 ? 1 : 2;
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(word, strip(candidate));
            if (d <= allowed && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether {@code typed} is {@code candidate} cut short ('--overr' of '--override-soft-limit'), dashes aside. */
    static boolean abbreviates(String typed, String candidate) {
        String word = strip(typed);
        return word.length() >= 2 && typed.startsWith("-") == candidate.startsWith("-") && strip(candidate).startsWith(word);
    }

    private static String strip(String s) {
        String t = s.startsWith("--") ? s.substring(2) : s.startsWith("-") ? s.substring(1) : s;
        return t.length() > MAX_LENGTH ? t.substring(0, MAX_LENGTH) : t;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
