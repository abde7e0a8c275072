package org.mptcpstate.state;

import java.nio.charset.StandardCharsets;

/**
 * The kernel's rules for what a network namespace holds, in one place: the loader checks files against them,
 * the planner checks its result, and the in-memory kernel of the tests obeys them (Linux 6.18, measured).
 */
public final class KernelRules {
    /** Endpoints per network namespace. */
    public static final int MAX_ENDPOINTS = 8;
    /** Each limit (subflows, add_addr_accepted) is 0 to this. */
    public static final int MAX_LIMIT = 8;
    /** Endpoint ids are a u8 on the wire; 0 means "let the kernel choose" and is no endpoint's id. */
    public static final int MIN_ENDPOINT_ID = 1;

    public static final int MAX_ENDPOINT_ID = 255;
    /** IFNAMSIZ less the terminating NUL. */
    public static final int MAX_INTERFACE_NAME_BYTES = 15;
    /** The only flag bits set-flags changes in place (backup, fullmesh); any other change is a delete and an add. */
    public static final int IN_PLACE_FLAGS = 0x4 | 0x8;
    /** The flag bits the kernel keeps (signal to laminar); it drops others silently. */
    public static final int KNOWN_FLAGS = 0x3f;

    private KernelRules() {}

    /**
     * Why the kernel would refuse this interface name, or null: its dev_valid_name() takes 1 to 15 bytes, not
     * {@code .} or {@code ..}, without {@code /}, {@code :} or whitespace (by its isspace()).
     */
    public static String interfaceNameProblem(String name) {
        if (name.isEmpty()) {
            return "an interface name cannot be empty";
        }
        String quoted = "interface name '" + Printable.shortened(name) + "'";
        if (name.equals(".") || name.equals("..")) {
            return quoted + " is refused by the kernel";
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_INTERFACE_NAME_BYTES) {
            return quoted + " is " + bytes.length + " bytes long; the kernel takes at most " + MAX_INTERFACE_NAME_BYTES;
        }
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == '/' || c == ':') {
                return quoted + " contains '" + (char) c + "', which the kernel refuses";
            }
            // the kernel's isspace(): \t \n \v \f \r, space, and 0xa0 (Latin-1 no-break space, so any UTF-8
            // character with that byte)
            if ((c >= 0x09 && c <= 0x0d) || c == ' ' || c == 0xa0) {
                return quoted + " contains whitespace, which the kernel refuses";
            }
            if (c == 0) {
                return quoted + " contains a NUL character";
            }
        }
        return null;
    }
}
