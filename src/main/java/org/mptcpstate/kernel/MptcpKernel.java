package org.mptcpstate.kernel;

import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Snapshot;

import java.net.InetAddress;
import java.util.List;

/**
 * The port the rest of mptcpstate talks to the kernel through, for one network namespace. Implemented over
 * netlink ({@link NetlinkKernel}) and in memory ({@link FakeKernel}); both obey the same contract, tested by one
 * suite against each.
 *
 * <p>Writes either happen in full or not at all. A refusal by the kernel surfaces as
 * {@link org.mptcpstate.netlink.KernelErrorException} carrying the kernel's errno and extended-ack text (for
 * example {@code kernel refused: too many addresses or duplicate one: -17 (EEXIST)}); a lack of privilege as
 * {@link PermissionDeniedException}. Arguments outside what the kernel's attributes can carry (an id above 255, a
 * port above 65535, a negative limit) are programming errors: {@link IllegalArgumentException}, before anything
 * is sent. Writes never trust themselves: the kernel may drop bits it does not know, so callers verify with
 * {@link #query()}.
 */
public interface MptcpKernel extends AutoCloseable {
    /** Reads everything at once: sysctls, limits, endpoints, links, addresses and default routes. */
    Snapshot query();

    /** Reads the endpoints alone (one dump): what {@code watch} reads back after its writes. */
    default List<KernelEndpoint> endpoints() {
        return query().endpoints();
    }

    /**
     * Sets {@code net.mptcp.enabled} of this namespace (whether new sockets may use MPTCP), by writing
     * /proc/sys/net/mptcp/enabled.
     */
    void setEnabled(boolean enabled);

    /**
     * Sets the limits of the in-kernel path manager: extra subflows per connection, and ADD_ADDRs accepted per
     * connection. {@code null} leaves that limit as it is. The kernel takes 0..8 and refuses more with
     * {@code limit greater than maximum (8)}, writing neither limit then.
     *
     * @throws IllegalArgumentException for a negative value
     */
    void setLimits(Integer subflows, Integer addAddrAccepted);

    /**
     * Adds an endpoint.
     *
     * @param id             1..255, or 0 to let the kernel choose (0 is never sent: some kernels would create an
     *                       endpoint with id 0)
     * @param address        IPv4 or IPv6; an {@link java.net.Inet6Address} that is v4-mapped stays IPv6
     * @param port           0 for none; a port needs flags signal without subflow, and makes the kernel listen
     *                       on that address and port
     * @param flags          the flag bits; bits this kernel does not know are dropped by it, implicit is refused
     * @param interfaceIndex 0 for an endpoint bound to no interface
     * @throws IllegalArgumentException for an id, port or interface index out of range
     */
    void addEndpoint(int id, InetAddress address, int port, EndpointFlags flags, int interfaceIndex);

    /**
     * Deletes the endpoint with this id (1..255); an unknown id is refused with {@code address not found}.
     *
     * @throws IllegalArgumentException for an id outside 1..255
     */
    void deleteEndpoint(int id);

    /**
     * Changes the backup and fullmesh flags of an endpoint in place, keeping its id. The kernel replaces both bits
     * with those of {@code flags} (it is no toggle) and ignores every other bit; fullmesh on a signal endpoint is
     * refused with {@code invalid addr flags}. Changing any other flag takes a delete and an add.
     *
     * @throws IllegalArgumentException for an id outside 1..255
     */
    void setEndpointFlags(int id, EndpointFlags flags);

    /**
     * This kernel for a rehearsal: writes check their arguments and encode their request as this kernel's would,
     * and then change nothing in the kernel; reads are this kernel's with the rehearsal's own endpoint writes laid
     * over them. {@code watch} rehearses its event path on it before the first event, so that the JIT has
     * compiled that path by then. Closing it leaves this kernel open.
     */
    default MptcpKernel rehearsal() {
        return new Rehearsal(this);
    }

    @Override
    void close();
}
