package org.mptcpstate.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Folds routine warnings ({@link WarningCode#routine()}) into one line per kind: "skipping 3 link-local addresses
 * (eth0, eth1, wlan0): they get no MPTCP endpoint". The summary takes the place of the kind's first warning; the
 * others keep their order. With --verbose the warnings are printed as they are.
 */
public final class WarningSummary {
    /** The sections of ignored keys, in the order a summary names them. */
    private static final String[] SECTIONS = {"top level", "interfaces", "ipv4/ipv6", "addresses", "absent interfaces"};

    private WarningSummary() {}

    /** The warnings to print: routine kinds summarised unless {@code verbose}. */
    public static List<Diagnostic> of(List<Diagnostic> warnings, boolean verbose) {
        if (verbose) {
            return List.copyOf(warnings);
        }
        Map<String, List<Diagnostic>> routine = new LinkedHashMap<>();
        for (Diagnostic warning : warnings) {
            WarningCode code = WarningCode.of(warning.code());
            if (code != null && code.routine()) {
                routine.computeIfAbsent(warning.code(), NewList.INSTANCE).add(warning);
            }
        }
        if (routine.isEmpty()) {
            return List.copyOf(warnings);
        }
        List<Diagnostic> out = new ArrayList<>();
        for (Diagnostic warning : warnings) {
            List<Diagnostic> group = routine.get(warning.code());
            if (group == null) {
                out.add(warning);
            } else if (group.get(0) == warning) {
                out.add(summary(WarningCode.of(warning.code()), group));
            }
        }
        return out;
    }

    private static Diagnostic summary(WarningCode code, List<Diagnostic> group) {
        String message = switch (code) {
            case NMSTATE_IGNORED -> ignoredKeys(group);
            case LINK_LOCAL_SKIPPED -> skipped(group, "link-local", "");
            case LOOPBACK_SKIPPED -> skipped(group, "loopback", "");
            case UNIQUE_LOCAL_SKIPPED -> skipped(group, "unique-local", " from interface-wide flags");
            default ->
                group.get(0).message() + (group.size() == 1 ? "" : " (and " + (group.size() - 1) + " more like it)");
        };
        return new Diagnostic(place(group), code.code(), message + "; --verbose lists each", null);
    }

    /** "skipping 3 link-local addresses (eth0, eth1, wlan0): they get no MPTCP endpoint". */
    private static String skipped(List<Diagnostic> group, String kind, String unless) {
        Set<String> interfaces = new LinkedHashSet<>();
        for (Diagnostic warning : group) {
            if (warning.subject() != null) {
                interfaces.add(warning.subject());
            }
        }
        boolean one = group.size() == 1;
        return "skipping " + group.size() + " " + kind + (one ? " address" : " addresses")
                + (interfaces.isEmpty() ? "" : " (" + String.join(", ", interfaces) + ")") + ": "
                + (one ? "it gets" : "they get") + " no MPTCP endpoint" + unless;
    }

    /** "ignoring 12 nmstate keys ...: top level 2 (hostname, routes), interfaces 10 (driver, mtu)". */
    private static String ignoredKeys(List<Diagnostic> group) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        for (Diagnostic warning : group) {
            String subject = warning.subject() == null ? "" : warning.subject();
            int colon = subject.indexOf(": ");
            String section = colon < 0 ? "" : subject.substring(0, colon);
            String key = colon < 0 ? subject : subject.substring(colon + 2);
            Integer count = counts.get(section);
            counts.put(section, count == null ? 1 : count + 1);
            keys.computeIfAbsent(section, NewSet.INSTANCE).add(key);
        }
        // the sections in document order, whatever order the file has them in
        Map<String, Integer> ordered = new LinkedHashMap<>();
        for (String section : SECTIONS) {
            if (counts.containsKey(section)) {
                ordered.put(section, counts.get(section));
            }
        }
        ordered.putAll(counts);
        counts = ordered;
        StringBuilder text = new StringBuilder("ignoring ")
                .append(group.size())
                .append(group.size() == 1 ? " nmstate key" : " nmstate keys")
                .append(" that mptcpstate does not act on:");
        String separator = " ";
        for (Map.Entry<String, Integer> section : counts.entrySet()) {
            text.append(separator)
                    .append(section.getKey())
                    .append(' ')
                    .append(section.getValue())
                    .append(" (")
                    .append(String.join(", ", keys.get(section.getKey())))
                    .append(')');
            separator = ", ";
        }
        return text.toString();
    }

    /** The file as a whole when every warning of the group is in one file; else no position. */
    private static Position place(List<Diagnostic> group) {
        String file = null;
        for (Diagnostic warning : group) {
            if (warning.position() == null
                    || (file != null && !file.equals(warning.position().file()))) {
                return null;
            }
            file = warning.position().file();
        }
        return Position.wholeFile(file);
    }

    // named classes, not lambdas: a lambda is spun at run time, which costs start-up time
    private static final class NewList implements Function<String, List<Diagnostic>> {
        static final NewList INSTANCE = new NewList();

        @Override
        public List<Diagnostic> apply(String key) {
            return new ArrayList<>();
        }
    }

    private static final class NewSet implements Function<String, Set<String>> {
        static final NewSet INSTANCE = new NewSet();

        @Override
        public Set<String> apply(String key) {
            return new TreeSet<>();
        }
    }
}
