package org.mptcpstate.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real MPTCP sockets for the data-plane tests: a Python process per side ({@code mptcp_traffic.py}, a test
 * resource), run inside a namespace. The client is driven line by line: upload or download a number of bytes,
 * each answered once the other side has them all, and quit.
 */
public final class MptcpTraffic implements AutoCloseable {
    private static final String SCRIPT = script();

    private final Process process;
    private final BufferedReader out;
    private final OutputStream in;

    private boolean server;

    private MptcpTraffic(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = process.getOutputStream();
    }

    /** A server accepting MPTCP connections on the port, once it listens. */
    public static MptcpTraffic server(Netns ns, int port) {
        MptcpTraffic server = start(ns, "server", Integer.toString(port));
        server.server = true;
        server.expect("listening");
        return server;
    }

    /** A client connected to {@code destination}; {@link #localPort()} is its first subflow's port. */
    public static MptcpTraffic client(Netns ns, String destination, int port) {
        MptcpTraffic client = start(ns, "client", destination, Integer.toString(port));
        String line = client.line();
        if (!line.startsWith("connected ")) {
            throw new AssertionError("the client did not connect: " + line + " " + client.stderr());
        }
        client.localPort =
                Integer.parseInt(line.substring("connected ".length()).trim());
        return client;
    }

    private int localPort;

    public int localPort() {
        return localPort;
    }

    /** Sends {@code bytes} to the server; returns once the server has received them all. */
    public void upload(long bytes) {
        command("up " + bytes);
        expect("done");
    }

    /** Has the server send {@code bytes}; returns once they all arrived. */
    public void download(long bytes) {
        command("down " + bytes);
        expect("done");
    }

    public static void requirePython() {
        if (Netns.runAllowingFailure(List.of("sh", "-c", "command -v " + python()))
                        .exitCode()
                != 0) {
            if (KernelTests.required()) {
                fail("python3 is not installed: the MPTCP connections of the data-plane tests cannot be made");
            }
            Assumptions.abort("python3 is not installed");
        }
    }

    private static MptcpTraffic start(Netns ns, String... args) {
        List<String> command =
                new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns.name(), python(), "-c", SCRIPT));
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.redirectError(ProcessBuilder.Redirect.PIPE);
            return new MptcpTraffic(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Debian's interpreter when there is one: a version manager's shim costs seconds per start on a busy host. */
    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private void command(String line) {
        try {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new AssertionError("the client is gone: " + stderr(), e);
        }
    }

    private void expect(String expected) {
        String line = line();
        if (!line.equals(expected)) {
            throw new AssertionError("expected '" + expected + "' from python3, got '" + line + "' " + stderr());
        }
    }

    /** The next line; the sockets time out after 60 s, so this does not hang forever. */
    private String line() {
        try {
            String line = out.readLine();
            if (line == null) {
                throw new AssertionError("python3 ended without output: " + stderr());
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String stderr() {
        try {
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                return "";
            }
            return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    /** Closes the connection (a client quits cleanly; a server is stopped). */
    @Override
    public void close() {
        if (server) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        if (process.isAlive()) {
            try {
                in.write("quit\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                in.close();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }

    private static String script() {
        try (InputStream stream = MptcpTraffic.class.getResourceAsStream("mptcp_traffic.py")) {
            if (stream == null) {
                throw new AssertionError("no test resource mptcp_traffic.py");
            }
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
