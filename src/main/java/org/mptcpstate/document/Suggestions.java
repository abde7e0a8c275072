package org.mptcpstate.document;

import java.util.Locale;

/** "Did you mean": the known word closest to a misspelt one. */
final class Suggestions {
    private Suggestions() {}

    /**
     * The candidate closest to {@code word} (case-insensitive edit distance, a swap of two neighbours counting
     * once), if close enough to be a typo of it; ties go to the earlier candidate. Null groups are skipped.
     */
    static String nearest(String word, String[]... groups) {
        String lower = word.toLowerCase(Locale.ROOT);
        int allowed = lower.length() <= 3 ? 1 : lower.length() <= 6 ? 2 : 3;
        String best = null;
        int bestDistance = allowed + 1;
        for (String[] group : groups) {
            if (group == null) {
                continue;
            }
            for (String candidate : group) {
                int distance = distance(lower, candidate);
                if (distance < bestDistance) {
                    best = candidate;
                    bestDistance = distance;
                }
            }
        }
        return best;
    }

    /** Optimal string alignment distance; "far" (Integer.MAX_VALUE) when the lengths alone differ by more than 3. */
    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3) {
            return Integer.MAX_VALUE;
        }
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
                int value = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    value = Math.min(value, d[i - 2][j - 2] + 1);
                }
                d[i][j] = value;
            }
        }
        return d[a.length()][b.length()];
    }
}
