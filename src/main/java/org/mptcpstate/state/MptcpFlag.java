package org.mptcpstate.state;

/** The flags of an MPTCP endpoint, in the order they are always written. */
public enum MptcpFlag {
    SIGNAL("signal", 0x1),
    SUBFLOW("subflow", 0x2),
    BACKUP("backup", 0x4),
    FULLMESH("fullmesh", 0x8),
    LAMINAR("laminar", 0x20),
    /** Made by the kernel for addresses a connection used without an endpoint; never set from user space. */
    IMPLICIT("implicit", 0x10);

    private final String yamlName;
    private final int bit;

    MptcpFlag(String yamlName, int bit) {
        this.yamlName = yamlName;
        this.bit = bit;
    }

    public String yamlName() {
        return yamlName;
    }

    public int bit() {
        return bit;
    }

    /** The flag with this name, or null. */
    public static MptcpFlag named(String name) {
        for (MptcpFlag flag : values()) {
            if (flag.yamlName.equals(name)) {
                return flag;
            }
        }
        return null;
    }
}
