import org.mptcpstate.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The work `mptcpstate apply` does inside the JVM, without the JVM's own start: Main.run with
 * `apply FILE --netns NS` on a namespace reset to empty before every call (the reset is not timed).
 * The first call is cold (class loading and native initialisation included), the next RUNS are warm.
 * Used by bench/run; compile against target/mptcpstate.jar and run with the launcher's JVM options.
 * Usage: java ... InProcessApply FILE NAMESPACE RUNS [ENDPOINTS]   (ENDPOINTS expected afterwards, default 8)
 * Prints: cold_ms, warm_median_ms, warm_min_ms, warm_max_ms, one "name value" per line.
 */
public final class InProcessApply {
    public static void main(String[] args) throws Exception {
        String file = args[0];
        String namespace = args[1];
        int runs = Integer.parseInt(args[2]);
        int endpoints = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        String[] apply = {"apply", file, "--netns", namespace};

        reset(namespace);
        double cold = timedApply(apply);
        double[] warm = new double[runs];
        for (int i = 0; i < runs; i++) {
            reset(namespace);
            warm[i] = timedApply(apply);
        }
        int listed = countEndpoints(namespace);
        if (listed != endpoints) {
            throw new IllegalStateException("expected " + endpoints + " endpoints after apply, found " + listed);
        }

        Arrays.sort(warm);
        double median = runs % 2 == 1 ? warm[runs / 2] : (warm[runs / 2 - 1] + warm[runs / 2]) / 2;
        System.out.printf("cold_ms %.2f%n", cold);
        System.out.printf("warm_median_ms %.2f%n", median);
        System.out.printf("warm_min_ms %.2f%n", warm[0]);
        System.out.printf("warm_max_ms %.2f%n", warm[runs - 1]);
    }

    private static double timedApply(String[] args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, false, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, false, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        int code = Main.run(args, outStream, errStream);
        long elapsed = System.nanoTime() - start;
        if (code != 0) {
            throw new IllegalStateException("apply exited " + code + ": " + err.toString(StandardCharsets.UTF_8)
                    + out.toString(StandardCharsets.UTF_8));
        }
        return elapsed / 1e6;
    }

    private static void reset(String namespace) throws IOException, InterruptedException {
        ip(namespace, "mptcp", "endpoint", "flush");
        ip(namespace, "mptcp", "limits", "set", "subflows", "2", "add_addr_accepted", "0");
    }

    private static int countEndpoints(String namespace) throws IOException, InterruptedException {
        String json = ip(namespace, "-j", "mptcp", "endpoint", "show");
        // one JSON object per endpoint, each with an "id" member
        return json.split("\"id\"", -1).length - 1;
    }

    private static String ip(String namespace, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("ip", "-n", namespace));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
