package org.mptcpstate.testing;

import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's ansible-core driving the collection of this checkout (ansible/), found through a symlink
 * {@code DIR/collections/ansible_collections/mptcpstate/mptcpstate}. Everything Ansible writes (its temporary
 * files, its home) stays under the test's directory. Playbooks run with the json stdout callback, whose
 * {@code stats} and per-task host results the tests assert on.
 */
public final class Ansible {
    /** The checkout: Maven runs the tests from its root. */
    public static final Path CHECKOUT = Path.of("").toAbsolutePath();
    /** Debian's python3, which sees ansible's own packages (a python3 on PATH may be another one). */
    public static final String PYTHON = "/usr/bin/python3";

    private final Path dir;

    private Ansible(Path dir) {
        this.dir = dir;
    }

    /**
     * Ansible for a test whose files live in {@code dir}. Without ansible-core the test is skipped, unless the
     * kernel tests are required (.ci/run as root installs ansible-core), where it fails.
     */
    public static Ansible in(Path dir) throws IOException {
        if (Netns.runAllowingFailure(List.of("sh", "-c", "command -v ansible-playbook"))
                        .exitCode()
                != 0) {
            if (KernelTests.required()) {
                fail("ansible-core is missing (apt-get install --no-install-recommends ansible-core; .ci/run does)");
            }
            Assumptions.abort("needs ansible-core (ansible-playbook); skipped");
        }
        Path link = dir.resolve("collections/ansible_collections/mptcpstate/mptcpstate");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, CHECKOUT.resolve("ansible"));
        Files.createDirectories(dir.resolve("ansible-home/tmp"));
        return new Ansible(dir);
    }

    /** One ansible-playbook run: its exit code, the json callback's document and stderr. */
    public record Play(int exitCode, JsonNode document, String stderr) {
        /** {@code stats[host]}: ok, changed, failures, ... of each host that ran. */
        public JsonNode stats(String host) {
            JsonNode stats = document.path("stats").path(host);
            if (stats.isMissingNode()) {
                throw new AssertionError("no stats for " + host + " in " + document.path("stats"));
            }
            return stats;
        }

        /** The hosts that ran (a host of a later batch a failed rollout never reached is not there). */
        public TreeSet<String> hosts() {
            return new TreeSet<>(document.path("stats").propertyNames());
        }

        /** (changed, failures) per host, for readable assertion messages. */
        public Map<String, List<Integer>> changedAndFailed() {
            Map<String, List<Integer>> summary = new TreeMap<>();
            for (String host : hosts()) {
                summary.put(
                        host,
                        List.of(
                                stats(host).path("changed").asInt(),
                                stats(host).path("failures").asInt()));
            }
            return summary;
        }

        /** The hosts with changed > 0. */
        public TreeSet<String> changedHosts() {
            TreeSet<String> changed = new TreeSet<>();
            for (String host : hosts()) {
                if (stats(host).path("changed").asInt() > 0) {
                    changed.add(host);
                }
            }
            return changed;
        }

        /**
         * The results of the task named {@code task} (in a role: ROLE : task) for {@code host}, in the order they
         * ran. A handler that was notified but skips itself (when: false) is there too, as skipped.
         */
        public List<JsonNode> results(String task, String host) {
            List<JsonNode> results = new ArrayList<>();
            for (JsonNode play : document.path("plays")) {
                for (JsonNode ran : play.path("tasks")) {
                    String name = ran.path("task").path("name").asString();
                    if ((name.equals(task) || name.endsWith(" : " + task))
                            && ran.path("hosts").has(host)) {
                        results.add(ran.path("hosts").path(host));
                    }
                }
            }
            return results;
        }

        /** The one result of {@code task} for {@code host}. */
        public JsonNode result(String task, String host) {
            List<JsonNode> results = results(task, host);
            if (results.size() != 1) {
                throw new AssertionError(results.size() + " results of '" + task + "' for " + host + " in " + document);
            }
            return results.get(0);
        }

        @Override
        public String toString() {
            StringBuilder failed = new StringBuilder();
            for (JsonNode play : document.path("plays")) {
                for (JsonNode ran : play.path("tasks")) {
                    for (Map.Entry<String, JsonNode> host : ran.path("hosts").properties()) {
                        if (host.getValue().path("failed").asBoolean(false)) {
                            failed.append("\n  failed: ")
                                    .append(host.getKey())
                                    .append(" '")
                                    .append(ran.path("task").path("name").asString())
                                    .append("': ")
                                    .append(host.getValue().path("msg").asString())
                                    .append(' ')
                                    .append(host.getValue().path("stderr").asString());
                        }
                    }
                }
            }
            return "exit " + exitCode + ", " + changedAndFailed() + ", stderr: " + stderr + failed;
        }
    }

    /** Runs {@code ansible-playbook -i INVENTORY PLAYBOOK ARGS...} with the json stdout callback. */
    public Play playbook(Path inventory, Path playbook, String... args) {
        List<String> command =
                new ArrayList<>(List.of("ansible-playbook", "-i", inventory.toString(), playbook.toString()));
        command.addAll(Arrays.asList(args));
        Netns.Result result = run(command);
        String out = result.stdout();
        int start = out.indexOf('{');
        if (start < 0) {
            throw new AssertionError(
                    "no JSON from " + command + " (exit " + result.exitCode() + "): " + out + result.stderr());
        }
        return new Play(result.exitCode(), Documents.json(out.substring(start)), result.stderr());
    }

    /** Runs an Ansible command (ansible-doc, ansible-galaxy, ...) with this test's environment. */
    public Netns.Result run(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = builder.environment();
        env.put("ANSIBLE_COLLECTIONS_PATH", dir.resolve("collections").toString());
        env.put("ANSIBLE_HOME", dir.resolve("ansible-home").toString());
        env.put("ANSIBLE_LOCAL_TEMP", dir.resolve("ansible-home/tmp").toString());
        env.put("ANSIBLE_REMOTE_TEMP", dir.resolve("ansible-home/tmp").toString());
        env.put("ANSIBLE_CONFIG", dir.resolve("ansible.cfg").toString()); // none: only these settings
        env.put("ANSIBLE_STDOUT_CALLBACK", "json");
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_LOCALHOST_WARNING", "0");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "0");
        env.put("ANSIBLE_PYTHON_INTERPRETER", PYTHON);
        env.put("ANSIBLE_FORKS", "5");
        try {
            Path err = Files.createTempFile(dir, "stderr-", ".txt");
            builder.redirectError(err.toFile());
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 5 minutes");
            }
            return new Netns.Result(
                    process.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }
}
