package org.mptcpstate.kernel;

import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;

/**
 * One address or link event as {@link KernelEvents} decodes it. Each rtnetlink message carries the whole object as
 * it is now, so applying the events in the order they came makes each object what its last event says.
 */
public sealed interface NetworkChange {
    /** RTM_NEWADDR: an address appeared, or changed (its flags: duplicate address detection finished, ...). */
    record AddressAdded(LinkAddress address) implements NetworkChange {}

    /** RTM_DELADDR. */
    record AddressRemoved(LinkAddress address) implements NetworkChange {}

    /** RTM_NEWLINK: a link appeared, or changed (its name, up or down, its operational state). */
    record LinkChanged(Link link) implements NetworkChange {}

    /** RTM_DELLINK: the link, and with it its addresses, are gone. */
    record LinkRemoved(int index) implements NetworkChange {}
}
