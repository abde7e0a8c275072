package org.mptcpstate.state;

import java.util.ArrayList;
import java.util.List;

/**
 * The flag bits of an endpoint. Bits this program has no name for are kept, not dropped, and written as hex
 * so that {@code show} hides nothing a newer kernel reports.
 */
public record EndpointFlags(int bits) {
    public static final EndpointFlags NONE = new EndpointFlags(0);

    private static final int KNOWN = knownBits();

    private static int knownBits() {
        int bits = 0;
        for (MptcpFlag flag : MptcpFlag.values()) {
            bits |= flag.bit();
        }
        return bits;
    }

    public static EndpointFlags of(MptcpFlag... flags) {
        int bits = 0;
        for (MptcpFlag flag : flags) {
            bits |= flag.bit();
        }
        return new EndpointFlags(bits);
    }

    public boolean has(MptcpFlag flag) {
        return (bits & flag.bit()) != 0;
    }

    /** Whether this differs from {@code other} only in backup and/or fullmesh (set-flags can do it in place). */
    public boolean differsOnlyInPlace(EndpointFlags other) {
        return ((bits ^ other.bits) & ~KernelRules.IN_PLACE_FLAGS) == 0;
    }

    /** These flags with backup and fullmesh taken from {@code to}, as set-flags changes them in place. */
    public EndpointFlags changedInPlaceTo(EndpointFlags to) {
        return new EndpointFlags((bits & ~KernelRules.IN_PLACE_FLAGS) | (to.bits & KernelRules.IN_PLACE_FLAGS));
    }

    public boolean isEmpty() {
        return bits == 0;
    }

    /** The bits this program has no name for. */
    public int unknownBits() {
        return bits & ~KNOWN;
    }

    /** Names in the fixed order signal, subflow, backup, fullmesh, laminar, implicit, then unknown bits as hex. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (MptcpFlag flag : MptcpFlag.values()) {
            if (has(flag)) {
                names.add(flag.yamlName());
            }
        }
        int unknown = unknownBits();
        for (int bit = 1; bit != 0; bit <<= 1) {
            if ((unknown & bit) != 0) {
                names.add(String.format("0x%x", bit));
            }
        }
        return names;
    }

    // Written out: the generated record methods bootstrap through invokedynamic, which costs start-up time.
    @Override
    public boolean equals(Object other) {
        return other instanceof EndpointFlags flags && flags.bits == bits;
    }

    @Override
    public int hashCode() {
        return bits;
    }

    @Override
    public String toString() {
        return names().toString();
    }
}
