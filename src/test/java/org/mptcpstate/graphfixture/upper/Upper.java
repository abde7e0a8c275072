package org.mptcpstate.graphfixture.upper;

import org.mptcpstate.graphfixture.lower.Lower;

/** PackageGraphTest's fixture: an upper package that uses a lower one, as allowed. */
public final class Upper {
    private Upper() {}

    public static int height() {
        return 2;
    }

    public static int below() {
        return Lower.depth();
    }
}
