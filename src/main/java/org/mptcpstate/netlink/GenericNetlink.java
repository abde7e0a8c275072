package org.mptcpstate.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Generic netlink: resolving a family through the controller, and requests framed with a genlmsghdr. */
public final class GenericNetlink {
    public static final int GENL_HEADER = 4;

    private static final int GENL_ID_CTRL = 0x10;
    private static final int CTRL_CMD_GETFAMILY = 3;
    private static final int CTRL_ATTR_FAMILY_ID = 1;
    private static final int CTRL_ATTR_FAMILY_NAME = 2;
    private static final int CTRL_ATTR_VERSION = 3;
    private static final int CTRL_ATTR_MCAST_GROUPS = 7;
    private static final int CTRL_ATTR_MCAST_GRP_NAME = 1;
    private static final int CTRL_ATTR_MCAST_GRP_ID = 2;

    private GenericNetlink() {}

    /** A resolved family: its dynamic id, version, and multicast groups by name. */
    public record Family(String name, int id, int version, Map<String, Integer> multicastGroups) {
        public Family {
            multicastGroups = Map.copyOf(multicastGroups);
        }
    }

    /** One generic netlink message: command, version, and its attributes. */
    public record Message(int command, int version, ByteBuffer attributes) {
        public AttributeDecoder decoder(String context) {
            return AttributeDecoder.of(attributes, context);
        }
    }

    /**
     * Asks the controller for a family by name. A kernel without the family answers ENOENT, which surfaces
     * as {@link KernelErrorException} with errno {@link Errno#ENOENT}.
     */
    public static Family resolve(NetlinkSocket socket, String name) {
        byte[] attributes =
                new AttributeEncoder().string(CTRL_ATTR_FAMILY_NAME, name).toBytes();
        List<NetlinkMessage> replies = socket.request(GENL_ID_CTRL, 0, payload(CTRL_CMD_GETFAMILY, 1, attributes));
        if (replies.isEmpty()) {
            throw new MalformedMessageException("controller sent no reply for family " + name);
        }
        return parseFamily(replies.get(0));
    }

    static Family parseFamily(NetlinkMessage reply) {
        AttributeDecoder attributes = AttributeDecoder.of(reply.payloadFrom(GENL_HEADER), "genl controller reply");
        int id = -1;
        int version = 0;
        String name = "";
        Map<String, Integer> groups = new LinkedHashMap<>();
        while (attributes.next()) {
            switch (attributes.type()) {
                case CTRL_ATTR_FAMILY_ID -> id = attributes.u16();
                case CTRL_ATTR_FAMILY_NAME -> name = attributes.string();
                case CTRL_ATTR_VERSION -> version = attributes.u32();
                case CTRL_ATTR_MCAST_GROUPS -> {
                    AttributeDecoder list = attributes.nested();
                    while (list.next()) {
                        AttributeDecoder group = list.nested();
                        String groupName = null;
                        int groupId = -1;
                        while (group.next()) {
                            if (group.type() == CTRL_ATTR_MCAST_GRP_NAME) {
                                groupName = group.string();
                            } else if (group.type() == CTRL_ATTR_MCAST_GRP_ID) {
                                groupId = group.u32();
                            }
                        }
                        if (groupName != null && groupId >= 0) {
                            groups.put(groupName, groupId);
                        }
                    }
                }
                default -> {
                    // operations, policies and header size are not needed
                }
            }
        }
        attributes.check();
        if (id < 0) {
            throw new MalformedMessageException("genl controller reply for " + name + " carries no family id");
        }
        return new Family(name, id, version, groups);
    }

    /** Frames genlmsghdr + attributes. */
    public static byte[] payload(int command, int version, byte[] attributes) {
        ByteBuffer out = ByteBuffer.allocate(GENL_HEADER + attributes.length).order(ByteOrder.nativeOrder());
        out.put((byte) command).put((byte) version).putShort((short) 0).put(attributes);
        return out.array();
    }

    /** A dump of one command of a family. */
    public static List<Message> dump(NetlinkSocket socket, Family family, int command, byte[] attributes) {
        return messages(socket.dump(family.id(), payload(command, family.version(), attributes)));
    }

    /** An acknowledged request; returns the replies that preceded the ack. */
    public static List<Message> request(NetlinkSocket socket, Family family, int command, byte[] attributes) {
        return messages(socket.request(family.id(), 0, payload(command, family.version(), attributes)));
    }

    /** Splits generic netlink messages into header and attributes. */
    public static List<Message> messages(List<NetlinkMessage> raw) {
        List<Message> out = new ArrayList<>(raw.size());
        for (NetlinkMessage message : raw) {
            if (message.payload().remaining() < GENL_HEADER) {
                throw new MalformedMessageException(
                        "generic netlink message type " + message.type() + " is shorter than its 4-byte header");
            }
            ByteBuffer payload = message.payload();
            out.add(new Message(
                    Byte.toUnsignedInt(payload.get(0)),
                    Byte.toUnsignedInt(payload.get(1)),
                    message.payloadFrom(GENL_HEADER)));
        }
        return out;
    }
}
