package org.mptcpstate.cli;

import org.mptcpstate.cli.CommandSpec.OptionSpec;
import org.mptcpstate.cli.CommandSpec.PositionalSpec;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * mptcpstate(8) and mptcpstate(5) in man(7) macros. The commands, their options and the exit codes come from the
 * declarations --help prints (Main's commands, {@link CommandSpec}, {@link ExitCode}); the state file's keys
 * from its JSON Schema, which tests hold to the loader. The prose around them is written here.
 */
final class ManPages {
    private ManPages() {}

    // ---------------------------------------------------------------- mptcpstate(8)

    static String program(List<CommandSpec> commands, String version, String date) {
        StringBuilder m = new StringBuilder();
        m.append(".\\\" Generated at build time from mptcpstate's command declarations; do not edit.\n");
        m.append(".TH MPTCPSTATE 8 ")
                .append(date)
                .append(" \"mptcpstate ")
                .append(version)
                .append("\" \"System Administration\"\n");
        m.append(".nh\n.ad l\n");
        m.append(".SH NAME\nmptcpstate \\- declarative desired\\-state configuration for Linux Multipath TCP\n");
        m.append(".SH SYNOPSIS\n");
        m.append(".B mptcpstate\n[\\fB\\-hV\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n");
        for (CommandSpec command : commands) {
            m.append(".br\n").append(synopsis(command)).append('\n');
        }
        m.append(".SH DESCRIPTION\n");
        paragraphs(
                m,
                Main.summary(),
                "You write one nmstate\\-style YAML file that says which MPTCP flags each interface's addresses carry,"
                        + " which limits the network namespace has and whether MPTCP is on (its format is in"
                        + " \\fBmptcpstate\\fR(5)). mptcpstate reads the kernel's state over netlink, computes the"
                        + " difference, applies it, verifies it and rolls back on failure. It never configures"
                        + " loopback, link\\-local, multicast or IPv6 unique\\-local addresses.",
                "Data goes to standard output, diagnostics to standard error as one line each, starting with"
                        + " \\fBmptcpstate:\\fR. Commands that read a file take \\fB\\-\\fR for standard input."
                        + " Reading the state needs no privileges; changing it needs root or CAP_NET_ADMIN, and"
                        + " \\fB\\-\\-netns\\fR needs CAP_SYS_ADMIN as well.");
        m.append(".SH OPTIONS\n");
        option(m, HelpText.HELP_OPTION);
        option(m, new OptionSpec("--version", "-V", null, "Print version information and exit."));
        m.append(".SH COMMANDS\n");
        for (CommandSpec command : commands) {
            command(m, command);
        }
        m.append(".SH EXIT STATUS\n");
        for (ExitCode exit : ExitCode.values()) {
            m.append(".TP\n.B ")
                    .append(exit.code())
                    .append('\n')
                    .append(text(exit.meaning()))
                    .append('\n');
        }
        m.append(".SH ENVIRONMENT\n");
        entry(m, "JAVA_HOME", "The Java runtime to run with, 17 or newer. Without it, \\fBjava\\fR on the PATH.");
        entry(
                m,
                "MPTCPSTATE_JAVA_OPTS",
                "More JVM options, for example \\fB\\-Dmptcpstate.debug=true\\fR for a Java stack trace with an"
                        + " error.");
        entry(
                m,
                "MPTCPSTATE_MAKE_CACHE",
                "When set, the launcher makes the start\\-up cache for the Java runtime it finds, then exits"
                        + " (what the package runs when it is installed).");
        m.append(".SH FILES\n");
        entry(m, "/usr/bin/mptcpstate", "The launcher: finds Java and starts it with the start\\-up cache.");
        entry(
                m,
                "/usr/share/mptcpstate/",
                "mptcpstate.jar, and mptcpstate\\-training.jar: the run that makes the start\\-up cache.");
        entry(m, "/etc/mptcpstate/state.yml", "The state file \\fBpersist\\fR installs and the service keeps applied.");
        entry(
                m,
                "/etc/mptcpstate/persisted.manifest",
                "What \\fBpersist\\fR wrote, with checksums: \\fBunpersist\\fR removes exactly that.");
        entry(
                m,
                "/etc/sysctl.d/90\\-mptcpstate.conf",
                "net.mptcp.enabled at boot, written by \\fBpersist\\fR when the state file sets it.");
        entry(
                m,
                "/lib/systemd/system/mptcpstate.service",
                "The shipped unit: runs \\fBmptcpstate watch /etc/mptcpstate/state.yml\\fR with only"
                        + " CAP_NET_ADMIN and systemd's hardening; \\fBsystemctl reload mptcpstate\\fR re\\-reads"
                        + " the file. It starts only when the file exists.");
        entry(
                m,
                "/run/mptcpstate/",
                "Root's alone: the apply lock, the watch's claim and the journal of an apply in flight, of each network namespace.");
        entry(
                m,
                "/var/cache/mptcpstate/",
                "Start\\-up caches for the installed Java runtimes (a class\\-data\\-sharing archive on Java 17 to"
                        + " 24, an AOT cache on 25 and newer) and JNA's native stub. Made when the package is"
                        + " installed, when a Java package changes, and by the first run as root with a runtime"
                        + " that has none; removed when the package is purged. The training run that makes them"
                        + " only reads the host's state: its apply runs on an in\\-memory kernel.");
        entry(m, "/usr/share/doc/mptcpstate/examples/", "Commented state files to start from.");
        m.append(".SH NOTES\n.SS \"Next to NetworkManager and mptcpd\"\n");
        paragraphs(
                m,
                "Two programs that manage the same MPTCP endpoints undo each other's changes. \\fBmptcpstate"
                        + " check\\fR warns (\\fBendpoint\\-manager\\fR) when NetworkManager or mptcpd runs in the"
                        + " network namespace it checks.",
                "NetworkManager 1.40 and newer adds an endpoint (flag subflow, by default) for each address it"
                        + " configures, on interfaces with a default route, while net.mptcp.enabled is 1. Turn"
                        + " that off for each profile on an interface mptcpstate manages with \\fBnmcli connection"
                        + " modify\\fR \\fIPROFILE\\fR \\fBconnection.mptcp\\-flags disabled\\fR, or for every"
                        + " profile with \\fBconnection.mptcp\\-flags=0x1\\fR in the \\fB[connection]\\fR section"
                        + " of a file in /etc/NetworkManager/conf.d/.",
                "mptcpd, with its default addr_adv plugin, adds an endpoint for every address that appears and"
                        + " removes it when the address goes. Stop it (\\fBsystemctl disable \\-\\-now mptcpd\\fR),"
                        + " or keep addr_adv out of \\fBpath\\-manager=\\fR and \\fBload\\-plugins=\\fR in"
                        + " /etc/mptcpd/mptcpd.conf.");
        m.append(".SH EXAMPLES\n.EX\n")
                .append("mptcpstate show \\-\\-json eth1\n")
                .append("mptcpstate diff client.yml\n")
                .append("sudo mptcpstate apply client.yml\n")
                .append("sudo mptcpstate persist client.yml\n")
                .append("sudo systemctl enable \\-\\-now mptcpstate.service\n")
                .append("sudo mptcpstate check\n")
                .append(".EE\n");
        m.append(".SH SEE ALSO\n")
                .append(".BR mptcpstate (5),\n.BR ip\\-mptcp (8),\n.BR sysctl (8),\n.BR systemd.service (5),\n")
                .append(".BR nmcli (1),\n.BR NetworkManager.conf (5),\n.BR mptcpd (8)\n");
        return m.toString();
    }

    /** The usage line --help prints after "Usage: ", with the words in bold and the values in italics. */
    static String synopsis(CommandSpec command) {
        StringBuilder line = new StringBuilder("\\fBmptcpstate ")
                .append(escape(command.name()))
                .append("\\fR [\\fB\\-h\\fR]");
        for (OptionSpec option : command.options()) {
            line.append(" [\\fB").append(escape(option.longName())).append("\\fR");
            if (option.takesValue()) {
                line.append("=\\fI").append(escape(option.valueLabel())).append("\\fR");
            }
            line.append(option.repeatable() ? "]..." : "]");
        }
        PositionalSpec positional = command.positional();
        if (positional != null) {
            line.append(' ').append(operand(positional));
        }
        return line.toString();
    }

    /** {@code [IFNAME...]} with the label in italics. */
    private static String operand(PositionalSpec positional) {
        String text = "\\fI" + escape(positional.label()) + "\\fR" + (positional.maximum() > 1 ? "..." : "");
        return positional.minimum() == 0 ? "[" + text + "]" : text;
    }

    private static void command(StringBuilder m, CommandSpec command) {
        m.append(".SS ").append(command.name()).append('\n');
        m.append(synopsis(command)).append('\n');
        m.append(".PP\n").append(text(command.summary())).append('\n');
        for (String line : command.details()) {
            m.append(text(line)).append('\n');
        }
        PositionalSpec positional = command.positional();
        if (positional != null) {
            m.append(".TP\n")
                    .append(operand(positional))
                    .append('\n')
                    .append(text(positional.description()))
                    .append('\n');
        }
        option(m, HelpText.HELP_OPTION);
        for (OptionSpec option : command.options()) {
            option(m, option);
        }
    }

    private static void option(StringBuilder m, OptionSpec option) {
        m.append(".TP\n");
        if (option.shortName() != null) {
            m.append("\\fB").append(escape(option.shortName())).append("\\fR, ");
        }
        m.append("\\fB").append(escape(option.longName())).append("\\fR");
        if (option.takesValue()) {
            m.append("=\\fI").append(escape(option.valueLabel())).append("\\fR");
        }
        m.append('\n').append(text(option.description())).append('\n');
    }

    private static void entry(StringBuilder m, String term, String roffText) {
        m.append(".TP\n.B ").append(term).append('\n').append(roffText).append('\n');
    }

    private static void paragraphs(StringBuilder m, String... roffTexts) {
        boolean first = true;
        for (String paragraph : roffTexts) {
            if (!first) {
                m.append(".PP\n");
            }
            m.append(paragraph).append('\n');
            first = false;
        }
    }

    // ---------------------------------------------------------------- mptcpstate(5)

    /** The state file: what it is, then every key the schema declares, with its type and description. */
    static String stateFile(JsonNode schema, String example, String version, String date) {
        StringBuilder m = new StringBuilder();
        m.append(".\\\" Generated at build time from schemas/mptcpstate.schema.json; do not edit.\n");
        m.append(".TH MPTCPSTATE 5 ")
                .append(date)
                .append(" \"mptcpstate ")
                .append(version)
                .append("\" \"File Formats\"\n");
        m.append(".nh\n.ad l\n");
        m.append(".SH NAME\nmptcpstate \\- the desired\\-state file of mptcpstate\n");
        m.append(".SH DESCRIPTION\n");
        paragraphs(
                m,
                text(schema.path("description").asString()),
                "\\fBmptcpstate validate\\fR, \\fBdiff\\fR, \\fBapply\\fR, \\fBwatch\\fR, \\fBpersist\\fR and"
                        + " \\fBcheck\\fR read it; JSON works too (YAML 1.2 includes it). Scalars follow the YAML"
                        + " 1.2 core schema: \\fByes\\fR and \\fBon\\fR are strings, not booleans.");
        m.append(".SH KEYS\n");
        List<String> readOnly = new ArrayList<>();
        TreeSet<String> nmstate = new TreeSet<>();
        keys(m, schema, schema, "", readOnly, nmstate);
        m.append(".PP\nAs \\fBmptcpstate show\\fR prints them, and ignored when read: ")
                .append(text(String.join(", ", readOnly)))
                .append(".\n");
        m.append(".PP\nnmstate keys that mptcpstate does not manage are accepted, not read, and reported as a"
                        + " warning each: ")
                .append(text(String.join(", ", nmstate)))
                .append(".\n");
        m.append(".SH ERRORS\n");
        paragraphs(
                m,
                "Every problem in a file is reported, not only the first, one line each as"
                        + " \\fIFILE\\fR:\\fILINE\\fR:\\fICOLUMN\\fR: \\fImessage\\fR, and the command exits 65"
                        + " without changing anything. An unknown key is an error that names the nearest known"
                        + " key.",
                "Safety limits: at most 1 MiB of input, 10 aliases to lists or mappings, 32 levels of nesting and"
                        + " one YAML document per file.");
        m.append(".SH EXAMPLE\n.EX\n");
        for (String line : example.split("\n", -1)) {
            if (!line.isEmpty()) {
                m.append(escape(line)).append('\n');
            }
        }
        m.append(".EE\n");
        m.append(".SH SEE ALSO\n.BR mptcpstate (8),\n.BR ip\\-mptcp (8),\n.BR nmstatectl (8)\n");
        return m.toString();
    }

    /** Each key under {@code node} (an object schema) as a tagged paragraph; read-only and nmstate keys listed. */
    private static void keys(
            StringBuilder m,
            JsonNode schema,
            JsonNode node,
            String prefix,
            List<String> readOnly,
            TreeSet<String> nmstate) {
        for (Map.Entry<String, JsonNode> property : node.path("properties").properties()) {
            String path = prefix + property.getKey();
            JsonNode declared = property.getValue();
            String reference = reference(declared);
            if ("nmstate".equals(reference)) {
                nmstate.add(path);
                continue;
            }
            JsonNode resolved =
                    reference == null ? declared : schema.path("$defs").path(reference);
            if (declared.path("readOnly").asBoolean(false)
                    || resolved.path("readOnly").asBoolean(false)) {
                readOnly.add(path);
                continue;
            }
            String description = declared.has("description")
                    ? declared.path("description").asString()
                    : resolved.path("description").asString("");
            m.append(".TP\n\\fB")
                    .append(escape(path))
                    .append("\\fR (")
                    .append(text(type(reference, resolved)))
                    .append(")\n");
            m.append(description.isEmpty() ? "The keys below." : text(description))
                    .append('\n');
            JsonNode items = resolved.path("items");
            // if/then/else picks a variant (an absent interface, one of a type nmstate does not know): the last
            // else is the general entry, whose keys the page lists
            while (items.has("else")) {
                items = items.path("else");
            }
            String itemReference = reference(items);
            JsonNode item = itemReference == null ? items : schema.path("$defs").path(itemReference);
            if (resolved.path("properties").isObject()) {
                keys(m, schema, resolved, path + ".", readOnly, nmstate);
            } else if (item.path("properties").isObject()) {
                keys(m, schema, item, path + "[].", readOnly, nmstate);
            }
        }
    }

    private static String reference(JsonNode node) {
        String reference = node.path("$ref").asString("");
        return reference.startsWith("#/$defs/") ? reference.substring("#/$defs/".length()) : null;
    }

    /** A few words for a key's type: "integer, 0 to 8", "list of flags", "IP address", "true or false". */
    private static String type(String reference, JsonNode node) {
        if ("flags".equals(reference)) {
            return "list of flags";
        }
        if ("interfaceName".equals(reference)) {
            return "interface name";
        }
        if ("ipv4Address".equals(reference) || "ipv6Address".equals(reference)) {
            return reference.startsWith("ipv4") ? "IPv4 address" : "IPv6 address";
        }
        if (node.has("anyOf")) {
            // nmstate's forms: an integer or a number string, a boolean or its spellings, an IPv4 or IPv6 address
            for (JsonNode option : node.path("anyOf")) {
                String type = option.path("type").asString("");
                if (type.equals("integer") || type.equals("boolean")) {
                    return type(null, option);
                }
            }
            return "IP address";
        }
        if (node.has("enum")) {
            List<String> values = new ArrayList<>();
            for (JsonNode value : node.path("enum")) {
                values.add(value.asString());
            }
            return String.join(" or ", values);
        }
        String type = node.path("type").asString("");
        return switch (type) {
            case "boolean" -> "true or false";
            case "integer" ->
                node.has("minimum") && node.has("maximum")
                        ? "integer, " + node.path("minimum").asInt() + " to "
                                + node.path("maximum").asInt()
                        : "integer";
            case "array" -> "list";
            case "object" -> "mapping";
            default -> type.isEmpty() ? "any" : type;
        };
    }

    // ---------------------------------------------------------------- escaping

    /** Plain text for a text line: troff's special characters escaped, `code` spans in bold. */
    static String text(String plain) {
        StringBuilder out = new StringBuilder();
        boolean code = false;
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (c == '`') {
                out.append(code ? "\\fR" : "\\fB");
                code = !code;
            } else {
                out.append(escape(String.valueOf(c)));
            }
        }
        if (code) {
            out.append("\\fR");
        }
        return lineStart(out.toString());
    }

    /** Backslash, minus, quotes; a line that would start with a dot or quote gets \&. */
    static String escape(String plain) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\e");
                case '-' -> out.append("\\-");
                case '\'' -> out.append("\\(aq");
                case '`' -> out.append("\\(ga");
                default -> out.append(c);
            }
        }
        return lineStart(out.toString());
    }

    private static String lineStart(String line) {
        return line.startsWith(".") ? "\\&" + line : line;
    }
}
