package org.mptcpstate.ansible;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mptcpstate.testing.Ansible;
import org.mptcpstate.testing.Documents;
import org.mptcpstate.testing.Netns;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The role mptcpstate.mptcpstate.service through the collection's service playbook, on this machine with every
 * path under a scratch root (mptcpstate_root) and service management off: there is no systemd as PID 1 here,
 * so starting and reloading the unit cannot run; which handler a change notifies is asserted instead (a
 * notified handler that skips itself shows in the json callback's output). It installs the release tarball
 * this build made; `validate` runs with the checkout's launcher (the scratch root's, run as root, would make
 * the installed tree's start-up cache in /var/cache/mptcpstate). Judged with the files (PyYAML reads the
 * state file), idempotence and `systemd-analyze verify` of the installed unit. The steps build on each other.
 */
@Tag("kernel")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceRoleIT {
    private static final String STATE_TASK =
            "The state file, checked with mptcpstate validate before it replaces the old one";

    private Path dir;
    private Path root;
    private Path inventory;
    private Path playbook;
    private Ansible ansible;

    @BeforeAll
    void scratchRoot() throws IOException {
        dir = Files.createTempDirectory("mptcpstate-role-");
        ansible = Ansible.in(dir);
        root = Files.createDirectories(dir.resolve("root"));
        Path tarball;
        try (var files = Files.newDirectoryStream(Ansible.CHECKOUT.resolve("target"), "mptcpstate-*.tar.gz")) {
            tarball = files.iterator().next();
        }
        inventory = dir.resolve("inventory.yml");
        Files.writeString(
                inventory,
                "all:\n  hosts:\n    localhost:\n  vars:\n"
                        + "    ansible_connection: local\n"
                        + "    ansible_become: false\n"
                        + "    ansible_python_interpreter: " + Ansible.PYTHON + "\n"
                        + "    mptcpstate_root: " + root + "\n"
                        + "    mptcpstate_install: tarball\n"
                        + "    mptcpstate_tarball: " + tarball + "\n"
                        + "    mptcpstate_executable: " + Ansible.CHECKOUT.resolve("mptcpstate") + "\n"
                        + "    mptcpstate_manage_service: false\n"
                        + "    subflows: 4\n"
                        + """
                    mptcpstate_state:
                      mptcp:
                        enabled: true
                        limits:
                          subflows: "{{ subflows | int }}"
                          add-addr-accepted: 1
                      interfaces:
                        - name: eth1
                          mptcp:
                            address-flags: [subflow]
                """);
        playbook = Ansible.CHECKOUT.resolve("ansible/playbooks/service.yml");
    }

    @AfterAll
    void removeScratch() {
        if (dir != null) {
            Netns.run(List.of("rm", "-rf", dir.toString()));
        }
    }

    private Path stateFile() {
        return root.resolve("etc/mptcpstate/state.yml");
    }

    /** The state file as PyYAML reads it, as JSON. */
    private JsonNode stateFileByPyYaml() {
        return Documents.json(Netns.run(List.of(
                Ansible.PYTHON,
                "-c",
                "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
                stateFile().toString())));
    }

    private static boolean notified(Ansible.Play play, String handler) {
        return !play.results(handler, "localhost").isEmpty();
    }

    /**
     * The first run installs the tarball's tree (launcher, jar, unit), writes the state file and the sysctl file,
     * and notifies both handlers (the program is new, the state is new).
     */
    @Test
    @Order(1)
    void theFirstRunInstallsAndWritesTheState() throws IOException {
        Ansible.Play play = ansible.playbook(inventory, playbook);

        assertThat(play.exitCode()).as("%s", play).isZero();
        assertThat(play.stats("localhost").path("failures").asInt()).isZero();
        assertThat(root.resolve("usr/bin/mptcpstate")).isExecutable();
        assertThat(root.resolve("usr/share/mptcpstate/mptcpstate.jar"))
                .hasSameBinaryContentAs(Ansible.CHECKOUT.resolve("target/mptcpstate.jar"));
        assertThat(root.resolve("lib/systemd/system/mptcpstate.service")).isRegularFile();
        JsonNode state = stateFileByPyYaml();
        assertThat(state.path("mptcp").path("limits").path("subflows").asString())
                .isEqualTo("4");
        assertThat(state.path("mptcp").path("enabled").asBoolean()).isTrue();
        assertThat(state.path("interfaces").get(0).path("name").asString()).isEqualTo("eth1");
        assertThat(Files.readString(root.resolve("etc/sysctl.d/90-mptcpstate.conf")))
                .contains("net.mptcp.enabled = 1\n");
        assertThat(notified(play, "Reload mptcpstate")).as("reload notified").isTrue();
        assertThat(notified(play, "Restart mptcpstate")).as("restart notified").isTrue();
    }

    /** The same again: changed=0, no handler. */
    @Test
    @Order(2)
    void theSecondRunChangesNothing() {
        Ansible.Play play = ansible.playbook(inventory, playbook);

        assertThat(play.exitCode()).as("%s", play).isZero();
        assertThat(play.stats("localhost").path("changed").asInt())
                .as("%s", play)
                .isZero();
        assertThat(notified(play, "Reload mptcpstate")).isFalse();
        assertThat(notified(play, "Restart mptcpstate")).isFalse();
    }

    /** Check mode with diff for subflows 6: the state file's diff, and the file untouched. */
    @Test
    @Order(3)
    void checkModeShowsTheNewStateAndWritesNothing() throws IOException {
        byte[] before = Files.readAllBytes(stateFile());

        Ansible.Play play = ansible.playbook(inventory, playbook, "--check", "--diff", "-e", "subflows=6");

        assertThat(play.exitCode()).as("%s", play).isZero();
        assertThat(play.stats("localhost").path("changed").asInt())
                .as("%s", play)
                .isEqualTo(1);
        JsonNode diff = play.result(STATE_TASK, "localhost").path("diff");
        assertThat(diff.toString()).contains("subflows: '4'").contains("subflows: '6'");
        assertThat(Files.readAllBytes(stateFile())).isEqualTo(before);
    }

    /** A new state is written and reloads the unit; the program is the same, so no restart. */
    @Test
    @Order(4)
    void aChangedStateIsWrittenAndReloadsTheUnit() {
        Ansible.Play play = ansible.playbook(inventory, playbook, "-e", "subflows=6");

        assertThat(play.exitCode()).as("%s", play).isZero();
        assertThat(play.stats("localhost").path("changed").asInt())
                .as("%s", play)
                .isEqualTo(1);
        assertThat(stateFileByPyYaml()
                        .path("mptcp")
                        .path("limits")
                        .path("subflows")
                        .asString())
                .isEqualTo("6");
        assertThat(notified(play, "Reload mptcpstate")).isTrue();
        assertThat(notified(play, "Restart mptcpstate")).isFalse();
    }

    /**
     * A state mptcpstate validate refuses (subflows 9: the kernel's maximum is 8) fails the task with
     * validate's file:line:column message, and the old file stays.
     */
    @Test
    @Order(5)
    void anInvalidStateIsRefusedAndTheOldFileKept() throws IOException {
        byte[] before = Files.readAllBytes(stateFile());

        Ansible.Play play = ansible.playbook(inventory, playbook, "-e", "subflows=9");

        assertThat(play.exitCode()).as("%s", play).isEqualTo(2);
        assertThat(play.stats("localhost").path("failures").asInt()).isEqualTo(1);
        JsonNode result = play.result(STATE_TASK, "localhost");
        assertThat(result.path("msg").asString()).contains("failed to validate");
        assertThat(result.path("stderr").asString()).containsPattern(":\\d+:\\d+: .*subflows");
        assertThat(Files.readAllBytes(stateFile())).isEqualTo(before);
        assertThat(notified(play, "Reload mptcpstate")).isFalse();
    }

    /**
     * The unit the role installed passes `systemd-analyze verify` (its ExecStart pointed at the launcher in the
     * scratch root, which exists there) and has the ExecReload= that `systemctl reload` (the handler) needs.
     */
    @Test
    @Order(6)
    void theInstalledUnitVerifies() throws IOException {
        String unit = Files.readString(root.resolve("lib/systemd/system/mptcpstate.service"));
        assertThat(unit)
                .containsPattern("(?m)^ExecReload=\\S+")
                .containsPattern("(?m)^ExecStart=/usr/bin/mptcpstate watch /etc/mptcpstate/state.yml$");
        Path copy = dir.resolve("mptcpstate.service");
        Files.writeString(
                copy, unit.replace("ExecStart=/usr/bin/mptcpstate ", "ExecStart=" + root + "/usr/bin/mptcpstate "));

        Netns.Result verify =
                Netns.runAllowingFailure(List.of("systemd-analyze", "verify", "--man=no", copy.toString()));

        assertThat(verify.exitCode()).as("%s", verify).isZero();
        assertThat(verify.stdout() + verify.stderr()).isEmpty();
    }
}
