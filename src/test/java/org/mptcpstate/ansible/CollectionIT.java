package org.mptcpstate.ansible;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.Ansible;
import org.mptcpstate.testing.Documents;
import org.mptcpstate.testing.Netns;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collection as ansible-core sees it: ansible-doc renders the module's and the role's documentation, and
 * ansible-galaxy builds and installs it under the project's version. (ansible-test sanity runs in .ci/run.)
 */
@Tag("kernel")
class CollectionIT {
    private Path dir;

    @BeforeEach
    void directory() throws IOException {
        dir = Files.createTempDirectory("mptcpstate-collection-");
    }

    /** rm -rf: JUnit's @TempDir would warn about the link to the collection (which it leaves alone, as rm does). */
    @AfterEach
    void removeDirectory() {
        Netns.run(List.of("rm", "-rf", dir.toString()));
    }

    /** The module's documented options are its argument spec's; DOCUMENTATION, EXAMPLES and RETURN render. */
    @Test
    void ansibleDocRendersTheModule() throws IOException {
        Ansible ansible = Ansible.in(dir);

        Netns.Result text = ansible.run(List.of("ansible-doc", "mptcpstate.mptcpstate.apply"));
        Netns.Result json = ansible.run(List.of("ansible-doc", "--json", "mptcpstate.mptcpstate.apply"));

        assertThat(text.exitCode()).as("%s", text).isZero();
        assertThat(text.stderr()).isEmpty();
        assertThat(text.stdout())
                .contains(
                        "> MPTCPSTATE.MPTCPSTATE.APPLY", "OPTIONS", "ATTRIBUTES", "NOTES", "EXAMPLES", "RETURN VALUES")
                .contains("[CODE] FILE:LINE:COLUMN: MESSAGE")
                .contains("subflows: \"{{ mptcp_subflows | int }}\"");
        assertThat(json.exitCode()).as("%s", json).isZero();
        JsonNode module = Documents.json(json.stdout()).path("mptcpstate.mptcpstate.apply");
        assertThat(new TreeSet<>(module.path("doc").path("options").propertyNames()))
                .containsExactly("config", "executable", "lock_wait", "netns", "src", "suppress_warnings");
        assertThat(module.path("doc")
                        .path("options")
                        .path("executable")
                        .path("default")
                        .asString())
                .isEqualTo("/usr/bin/mptcpstate");
        assertThat(module.path("doc")
                        .path("attributes")
                        .path("check_mode")
                        .path("support")
                        .asString())
                .isEqualTo("full");
        assertThat(module.path("doc")
                        .path("attributes")
                        .path("diff_mode")
                        .path("support")
                        .asString())
                .isEqualTo("full");
        assertThat(new TreeSet<>(module.path("return").propertyNames()))
                .contains("changed", "changes", "warning_details", "verified", "error", "problems", "rolled_back");
        assertThat(module.path("examples").asString()).contains("mptcpstate.mptcpstate.apply:");
    }

    /** The role's argument spec renders with its options. */
    @Test
    void ansibleDocRendersTheRole() throws IOException {
        Ansible ansible = Ansible.in(dir);

        Netns.Result text = ansible.run(List.of("ansible-doc", "-t", "role", "mptcpstate.mptcpstate.service"));

        assertThat(text.exitCode()).as("%s", text).isZero();
        assertThat(text.stdout())
                .contains("> MPTCPSTATE.MPTCPSTATE.SERVICE", "ENTRY POINT: main")
                .contains("mptcpstate_install", "mptcpstate_state", "mptcpstate_root", "mptcpstate_manage_service");
    }

    /** ansible-galaxy builds the collection under the project's version and installs it where it is found. */
    @Test
    void ansibleGalaxyBuildsAndInstallsTheProjectsVersion() throws IOException {
        Ansible ansible = Ansible.in(dir);
        Properties version = new Properties();
        try (InputStream in = CollectionIT.class.getResourceAsStream("/org/mptcpstate/cli/version.properties")) {
            version.load(in);
        }
        String expected = version.getProperty("version");

        Netns.Result build = ansible.run(List.of(
                "ansible-galaxy",
                "collection",
                "build",
                "--output-path",
                dir.resolve("built").toString(),
                Ansible.CHECKOUT.resolve("ansible").toString()));
        Path artifact = dir.resolve("built/mptcpstate-mptcpstate-" + expected + ".tar.gz");
        Netns.Result install = ansible.run(List.of(
                "ansible-galaxy",
                "collection",
                "install",
                "-p",
                dir.resolve("installed").toString(),
                artifact.toString()));
        Netns.Result list = ansible.run(List.of(
                "ansible-galaxy",
                "collection",
                "list",
                "-p",
                dir.resolve("installed").toString(),
                "--format",
                "json"));

        assertThat(build.exitCode()).as("%s", build).isZero();
        assertThat(artifact).isRegularFile();
        assertThat(install.exitCode()).as("%s", install).isZero();
        Path installed = dir.resolve("installed/ansible_collections/mptcpstate/mptcpstate");
        assertThat(installed.resolve("plugins/modules/apply.py")).isRegularFile();
        assertThat(installed.resolve("roles/service/meta/main.yml")).isRegularFile();
        assertThat(installed.resolve("playbooks/rollout.yml")).isRegularFile();
        assertThat(Files.readString(installed.resolve("MANIFEST.json"))).contains("\"version\": \"" + expected + "\"");
        assertThat(list.stdout()).contains("\"mptcpstate.mptcpstate\"").contains(expected);
    }
}
