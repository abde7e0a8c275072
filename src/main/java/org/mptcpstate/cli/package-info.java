/**
 * The command line, commands only: each command is declared once ({@link org.mptcpstate.cli.CommandSpec}), from
 * which parsing and help are generated; data goes to stdout, diagnostics to stderr, and every exit code is in
 * one table ({@link org.mptcpstate.cli.ExitCode}, mapped from failures by {@code Failures}).
 *
 * <p>May use: {@code state}, {@code document}, {@code kernel}, {@code plan}, {@code check}, {@code reconcile},
 * {@code persist}; not {@code netlink}. Only {@code Signals} may use {@code sun.misc}.
 */
package org.mptcpstate.cli;
