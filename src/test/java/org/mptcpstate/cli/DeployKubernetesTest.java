package org.mptcpstate.cli;

import org.junit.jupiter.api.Test;
import org.mptcpstate.document.LoadedState;
import org.mptcpstate.document.StateLoader;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/kubernetes/ against mptcpstate itself: the DaemonSet's arguments are a watch this parser accepts, the
 * file it watches is the ConfigMap's key in the mounted directory, its status file is the one the probes read,
 * and the ConfigMap's state loads without a warning. (The manifests' Kubernetes schema: validate.sh, run by
 * .ci/run; the probes against a real status file: WatchIT.)
 */
class DeployKubernetesTest {
    private static final Path DIRECTORY = Path.of("deploy", "kubernetes");

    @SuppressWarnings("unchecked")
    static Map<String, Object> container() throws Exception {
        Map<String, Object> daemonSet =
                (Map<String, Object>) new Load(LoadSettings.builder().build())
                        .loadFromString(Files.readString(DIRECTORY.resolve("daemonset.yml")));
        Map<String, Object> pod = map(map(map(daemonSet, "spec"), "template"), "spec");
        return (Map<String, Object>) ((List<Object>) pod.get("containers")).get(0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    /** The command of the container's readinessProbe or livenessProbe. */
    @SuppressWarnings("unchecked")
    static List<String> probe(String name) throws Exception {
        return new ArrayList<>(
                (List<String>) map(map(container(), name), "exec").get("command"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDaemonSetRunsAWatchOfTheConfigMapWithTheStatusFileItsProbesRead() throws Exception {
        List<String> args = (List<String>) container().get("args");
        assertThat(args.get(0)).isEqualTo("watch");
        ParsedArguments parsed = ArgumentParser.parse(WatchCommand.SPEC, args.subList(1, args.size()));
        String stateFile = parsed.operands().get(0);
        String statusFile = parsed.value("--status-file");
        assertThat(parsed.value("--resync")).isEqualTo("30");

        List<Map<String, Object>> mounts =
                (List<Map<String, Object>>) container().get("volumeMounts");
        assertThat(mounts)
                .as("the ConfigMap's directory is mounted whole: a subPath mount never sees an update")
                .anySatisfy(mount -> {
                    assertThat(mount.get("name")).isEqualTo("state");
                    assertThat(Path.of(stateFile).getParent()).isEqualTo(Path.of((String) mount.get("mountPath")));
                    assertThat(mount).doesNotContainKey("subPath");
                });
        assertThat(mounts)
                .anySatisfy(mount -> assertThat(mount.get("mountPath")).isEqualTo("/run/mptcpstate"));
        assertThat(String.join(" ", probe("readinessProbe"))).contains(statusFile);
        assertThat(String.join(" ", probe("livenessProbe")))
                .contains(statusFile)
                .as("liveness allows three resync intervals")
                .contains("-lt 90");

        Map<String, Object> security = map(container(), "securityContext");
        assertThat(security.get("privileged")).isEqualTo(false);
        assertThat(map(security, "capabilities"))
                .isEqualTo(Map.of("drop", List.of("ALL"), "add", List.of("NET_ADMIN")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theConfigMapsStateLoadsWithoutWarningsAndLeavesTheSysctlToTheNode() throws Exception {
        List<String> args = (List<String>) container().get("args");
        String key = Path.of(args.get(1)).getFileName().toString();
        Map<String, Object> configMap =
                (Map<String, Object>) new Load(LoadSettings.builder().build())
                        .loadFromString(Files.readString(DIRECTORY.resolve("configmap.yml")));
        String state = (String) map(configMap, "data").get(key);
        LoadedState loaded = StateLoader.load(key, state.getBytes(StandardCharsets.UTF_8));
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.state().mptcp().enabled())
                .as("/proc/sys is read-only in the container: no enabled in the ConfigMap")
                .isNull();
    }
}
