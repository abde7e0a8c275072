package org.mptcpstate.graphfixture.lower;

import org.mptcpstate.graphfixture.upper.Upper;

/** PackageGraphTest's fixture: a lower package that uses an upper one, closing a cycle. */
public final class Lower {
    private Lower() {}

    public static int depth() {
        return Upper.height() - 1;
    }
}
