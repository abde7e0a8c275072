package org.mptcpstate.cli;

import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Mptcpstate.Run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON documents of diff --json and of errors under --json, without a kernel (diff --current plans against
 * a saved show document). Judged by Python's json module, a parser we did not write: each test hands stdout to
 * python3 and compares what it extracts.
 */
class JsonOutputTest {
    private static final Path SAVED = Path.of("src/test/resources/current/saved.show.yml");
    private static final String STATE = "mptcp:\n  limits:\n    subflows: \"4\"\ninterfaces:\n- name: eth1\n"
            + "  mptcp:\n    address-flags: [subflow]\n";

    /** Runs python3 on {@code json} (its stdin) with {@code code} reading it as {@code d}; returns what it prints. */
    static String python(String json, String code) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        "python3", "-c", "import json, sys\nd = json.loads(sys.stdin.read())\n" + code)
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("python3: %s", out).isZero();
        return out.strip();
    }

    private static void assertOneJsonLine(Run run) {
        assertThat(run.stderr()).as("stderr under --json").isEmpty();
        assertThat(run.stdout()).endsWith("\n");
        assertThat(run.stdout().lines().count())
                .as("one line: %s", run.stdout())
                .isEqualTo(1);
    }

    @Test
    void diffJsonHasOldAndNewBeforeAndAfterAndCodedWarnings() throws Exception {
        Run run = Mptcpstate.inProcess(
                "diff",
                "--json",
                "--current",
                SAVED.toString(),
                Mptcpstate.stateFile(STATE).toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.CHANGES_PENDING.code());
        assertOneJsonLine(run);
        assertThat(python(run.stdout(), "print(d['changed'], d['dry-run'], 'verified' in d)"))
                .isEqualTo("True True False");
        assertThat(python(
                        run.stdout(),
                        "for c in d['changes']: print(c['action'], json.dumps(c['old']),"
                                + " json.dumps(c['new']), c['text'])"))
                .isEqualTo(String.join(
                        "\n",
                        "set-limits {\"subflows\": 2, \"add-addr-accepted\": 0} {\"subflows\": 4,"
                                + " \"add-addr-accepted\": 0} ~ limits: subflows 2 -> 4",
                        "remove-endpoint {\"address\": \"192.0.2.2\", \"interface\": \"eth1\", \"flags\": [\"signal\"]}"
                                + " null - endpoint 3: 192.0.2.2 on eth1 [signal]",
                        "add-endpoint null {\"address\": \"192.0.2.2\", \"interface\": \"eth1\", \"flags\":"
                                + " [\"subflow\"]} + endpoint 192.0.2.2 on eth1 [subflow]",
                        "add-endpoint null {\"address\": \"2001:db8::2\", \"interface\": \"eth1\", \"flags\":"
                                + " [\"subflow\"]} + endpoint 2001:db8::2 on eth1 [subflow]"));
        // the warnings that need the kernel's facts come from the saved document
        assertThat(python(run.stdout(), "print(' '.join(w['code'] for w in d['warnings']))"))
                .isEqualTo("address-tentative dad-failed link-local-skipped path-manager mptcp-disabled");
        assertThat(python(
                        run.stdout(),
                        "w = d['warnings'][0]; print(w['file'].endswith('.yml'), w['line']," + " w['column'])"))
                .isEqualTo("True 5 3");
        // before is the saved document without endpoint ids; after is it with the plan made
        assertThat(python(
                        run.stdout(),
                        "b, a = d['before'], d['after']\n"
                                + "print('id' in json.dumps(b) or 'id' in json.dumps(a),"
                                + " b['mptcp']['limits']['subflows'], a['mptcp']['limits']['subflows'],"
                                + " [x['mptcp-flags'] for x in a['interfaces'][0]['ipv6']['address']],"
                                + " a['mptcp']['endpoints'][0]['port'])"))
                .isEqualTo("False 2 4 [['subflow'], [], []] 8443");
    }

    @Test
    void diffCurrentPrintsWhatDiffPrintsFromYamlOrJson() throws Exception {
        Path state = Mptcpstate.stateFile(STATE);
        Run yaml = Mptcpstate.inProcess("diff", "--current", SAVED.toString(), state.toString());
        assertThat(yaml.exitCode()).isEqualTo(2);
        assertThat(yaml.stdout())
                .startsWith("~ limits: subflows 2 -> 4\n- endpoint 3: 192.0.2.2 on eth1 [signal]\n"
                        + "+ endpoint 192.0.2.2 on eth1 [subflow]\n+ endpoint 2001:db8::2 on eth1 [subflow]\n\n"
                        + "--- current\n+++ desired\n");
        assertThat(yaml.stderr()).contains("[address-tentative]", "[dad-failed]", "[path-manager]");
        // the same saved state as show --json writes it: the same plan, byte for byte
        Run shown = Mptcpstate.inProcess("diff", "--json", "--current", SAVED.toString(), state.toString());
        Path json = Mptcpstate.stateFile(python(shown.stdout(), "print(json.dumps(d['before']))"));
        // before has no ids: the endpoints are numbered anew, so the text names other ids; the JSON says the same
        Run fromJson = Mptcpstate.inProcess("diff", "--json", "--current", json.toString(), state.toString());
        assertThat(fromJson.exitCode()).isEqualTo(2);
        assertThat(python(
                        fromJson.stdout(),
                        "del d['changes'][1]['id']; del d['changes'][1]['text']; print(json.dumps(d, sort_keys=True))"))
                .isEqualTo(
                        python(
                                shown.stdout(),
                                "del d['changes'][1]['id']; del d['changes'][1]['text']; print(json.dumps(d, sort_keys=True))"));
        // a file that asks for what the saved state holds: no changes, exit 0
        Run none = Mptcpstate.inProcess(
                "diff",
                "--current",
                SAVED.toString(),
                Mptcpstate.stateFile("mptcp:\n  limits: {subflows: 2}\n").toString());
        assertThat(none.exitCode()).isZero();
        assertThat(none.stdout()).isEqualTo("no changes\n");
    }

    @Test
    void aBadSavedDocumentIs65WithEveryProblemAtItsPlace() throws Exception {
        Path bad = Mptcpstate.stateFile(
                "mptcp:\n  enabled: true\n  limits: {subflows: x}\ninterfaces:\n" + "- name: eth1\n  colour: red\n");
        Run run = Mptcpstate.inProcess(
                "diff", "--current", bad.toString(), Mptcpstate.stateFile(STATE).toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr())
                .isEqualTo("mptcpstate: " + bad + ":2:3: missing 'path-manager': a show document has it\n"
                        + "mptcpstate: " + bad + ":3:11: missing 'add-addr-accepted': a show document has it\n"
                        + "mptcpstate: " + bad + ":3:22: expected an integer, got the string 'x' (as strings:"
                        + " \"24\", \"+24\" or \"0x18\")\n"
                        + "mptcpstate: " + bad + ":6:3: unknown key 'colour' in an interface of a show document"
                        + " (keys: name, type, state, oper-state, mptcp, ipv4, ipv6)\n");

        Run json = Mptcpstate.inProcess(
                "diff",
                "--json",
                "--current",
                bad.toString(),
                Mptcpstate.stateFile(STATE).toString());
        assertThat(json.exitCode()).isEqualTo(65);
        assertOneJsonLine(json);
        assertThat(python(
                        json.stdout(),
                        "e = d['error']; print(e['code'], e['exit-code'], e['line'], e['column'],"
                                + " len(d['problems']), d['changed'], 'rolled-back' in d)"))
                .isEqualTo("invalid-input 65 2 3 4 False False");
    }

    @Test
    void everyErrorUnderJsonIsOneDocumentWithTheSameExitCode() throws Exception {
        Path state = Mptcpstate.stateFile(STATE);
        Path invalid = Mptcpstate.stateFile("mptcp:\n  limits:\n    subflows: 99\ninterfaces:\n- name: eth1\n"
                + "  mptcp:\n    address-flags: [sideways]\n");
        record Case(List<String> args, int exit, String expected) {}
        List<Case> cases = List.of(
                new Case(List.of("diff", "--json", "--bogus"), 64, "usage 64 Unknown option: '--bogus'"),
                new Case(
                        List.of("apply", "--json", "--lock-wait", "x", state.toString()),
                        64,
                        "usage 64 --lock-wait takes a number of seconds from 0 to 86400, not 'x'"),
                new Case(
                        List.of("diff", "--json", "--current", SAVED.toString(), "--netns", "x", state.toString()),
                        64,
                        "usage 64 --current and --netns exclude each other"),
                new Case(
                        List.of("diff", "--json", "--current", SAVED.toString(), "/nonexistent/state.yml"),
                        65,
                        "invalid-input 65 /nonexistent/state.yml: no such file"),
                new Case(
                        List.of("diff", "--json", "--current", SAVED.toString(), invalid.toString()),
                        65,
                        "invalid-input 65 " + invalid + ":3:15: subflows must be from 0 to 8, got 99 (and 1 more)"));
        for (Case c : cases) {
            Run run = Mptcpstate.inProcess(c.args().toArray(String[]::new));
            assertThat(run.exitCode()).as("%s", c.args()).isEqualTo(c.exit());
            assertOneJsonLine(run);
            assertThat(python(run.stdout(), "e = d['error']; print(e['code'], e['exit-code'], e['message'])"))
                    .as("%s", c.args())
                    .isEqualTo(c.expected());
        }
        Run problems = Mptcpstate.inProcess("diff", "--json", "--current", SAVED.toString(), invalid.toString());
        assertThat(python(problems.stdout(), "for p in d['problems']: print(p['line'], p['column'], p['message'])"))
                .isEqualTo("3:15".replace(":", " ") + " subflows must be from 0 to 8, got 99\n"
                        + "7 21 unknown flag 'sideways' (flags: signal, subflow, backup, fullmesh, laminar)");
        // without --json the same failure is text on stderr
        Run text = Mptcpstate.inProcess("diff", "--bogus");
        assertThat(text.stdout()).isEmpty();
        assertThat(text.stderr()).startsWith("mptcpstate: Unknown option: '--bogus'\n");
    }

    /**
     * What the Ansible module sends: the desired state as JSON on stdin, serialised by Python's json module, with
     * the integers Ansible's templating turned into strings ("{{ n | int }}" renders "4").
     */
    @Test
    void integersAsStringsFromPythonsJsonOnStdinArePlannedAsIntegers() throws Exception {
        String state = python(
                "{}",
                "print(json.dumps({'mptcp': {'limits': {'subflows': '4', 'add-addr-accepted': '2'}, 'endpoints':"
                        + " [{'address': '203.0.113.7', 'port': '8443', 'flags': ['signal']}]}, 'interfaces':"
                        + " [{'name': 'eth1', 'ipv4': {'address': [{'ip': '192.0.2.2', 'prefix-length': '24'}]}}]}))");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code;
        try (java.io.PrintStream o = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
                java.io.PrintStream e = new java.io.PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(
                    new String[] {"diff", "--json", "--current", SAVED.toString(), "-"},
                    new java.io.ByteArrayInputStream(state.getBytes(StandardCharsets.UTF_8)),
                    o,
                    e);
        }
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(json + err).isEqualTo(2);
        assertThat(python(json, "for c in d['changes']: print(c['text'])"))
                .isEqualTo("~ limits: subflows 2 -> 4, add-addr-accepted 0 -> 2");
        assertThat(python(json, "print(json.dumps(d['after']['mptcp']['limits'], sort_keys=True))"))
                .isEqualTo("{\"add-addr-accepted\": 2, \"subflows\": 4}");
        // the port and the prefix length were read as numbers: the saved endpoint on port 8443 is kept as is
        assertThat(python(json, "print(d['after']['mptcp']['endpoints'][0]['port'])"))
                .isEqualTo("8443");
    }

    @Test
    void currentAndFileCannotBothBeStandardInput() {
        Run run = Mptcpstate.inProcess("diff", "--current", "-", "-");
        assertThat(run.exitCode()).isEqualTo(64);
        assertThat(run.stderr()).startsWith("mptcpstate: --current and FILE cannot both be - (standard input)\n");
        assertThat(Files.exists(SAVED)).isTrue();
    }
}
