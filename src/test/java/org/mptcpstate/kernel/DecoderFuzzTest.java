package org.mptcpstate.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mptcpstate.netlink.MalformedMessageException;
import org.mptcpstate.netlink.NetlinkMessage;
import org.mptcpstate.testing.Captures;
import org.mptcpstate.testing.RawNetlink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: whatever bytes arrive, NetlinkMessage.parseAll and every decoder either return or throw
 * {@link MalformedMessageException}. Inputs are the captured datagrams mutated at random (fixed seed, so a
 * failure repeats), plus random bytes framed as netlink messages of the types the decoders know.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DecoderFuzzTest {
    private static final long SEED = 0x6d70746370L;
    private static final int ROUNDS = 10_000;
    private static final int[] TYPES = {1, 2, 3, 4, 0x10, 16, 20, 24};

    @Test
    void onlyMalformedMessageExceptionEscapes() {
        Random random = new Random(SEED);
        List<byte[]> seeds = new ArrayList<>();
        for (String capture : Captures.all()) {
            seeds.addAll(Captures.datagrams(capture));
        }
        int family = Captures.oracleFamilyId();
        List<String> failures = new ArrayList<>();
        int framed = 0;
        for (int round = 0; round < ROUNDS && failures.size() < 5; round++) {
            byte[] input = round % 10 == 9 ? randomFramed(random, family) : mutate(random, seeds);
            try {
                for (NetlinkMessage message : NetlinkMessage.parseAll(ByteBuffer.wrap(input))) {
                    framed++;
                    Decoders.decodeWithAll(message);
                }
            } catch (MalformedMessageException expected) {
                // refused as a whole
            } catch (RuntimeException | StackOverflowError e) {
                failures.add(
                        "round " + round + ": " + e + " on " + HexFormat.of().formatHex(input));
            }
            // the same bytes as one message's payload, past the framing check
            if (input.length >= 16) {
                NetlinkMessage direct = new NetlinkMessage(
                        RawNetlink.u16(input, 4),
                        RawNetlink.u16(input, 6),
                        0,
                        0,
                        ByteBuffer.wrap(Arrays.copyOfRange(input, 16, input.length)));
                try {
                    Decoders.decodeWithAll(direct);
                } catch (RuntimeException | StackOverflowError e) {
                    failures.add("round " + round + " (payload): " + e + " on "
                            + HexFormat.of().formatHex(input));
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(framed)
                .as("mutations that still frame as messages reach the decoders")
                .isGreaterThan(ROUNDS / 2);
    }

    private static byte[] mutate(Random random, List<byte[]> seeds) {
        byte[] data = seeds.get(random.nextInt(seeds.size())).clone();
        int operations = 1 + random.nextInt(3);
        for (int i = 0; i < operations && data.length > 0; i++) {
            switch (random.nextInt(6)) {
                case 0 -> {
                    for (int n = 1 + random.nextInt(4); n > 0; n--) {
                        data[random.nextInt(data.length)] = (byte) random.nextInt(256);
                    }
                }
                case 1 -> {
                    if (data.length >= 2) {
                        int at = random.nextInt(data.length / 2) * 2;
                        int[] edges = {
                            0,
                            1,
                            3,
                            4,
                            5,
                            7,
                            8,
                            0x7fff,
                            0x8000,
                            0xffff,
                            data.length - at,
                            data.length - at + 1,
                            random.nextInt(0x10000)
                        };
                        data = RawNetlink.withU16(data, at, edges[random.nextInt(edges.length)]);
                    }
                }
                case 2 -> {
                    if (data.length >= 4) {
                        int at = random.nextInt(data.length / 4) * 4;
                        int[] edges = {
                            0,
                            15,
                            16,
                            17,
                            data.length,
                            data.length + 1,
                            data.length - at,
                            Integer.MAX_VALUE,
                            Integer.MIN_VALUE,
                            -1,
                            -16,
                            random.nextInt()
                        };
                        data = RawNetlink.withU32(data, at, edges[random.nextInt(edges.length)]);
                    }
                }
                case 3 -> data = Arrays.copyOf(data, random.nextInt(data.length + 1));
                case 4 -> {
                    byte[] tail = new byte[1 + random.nextInt(64)];
                    random.nextBytes(tail);
                    byte[] longer = Arrays.copyOf(data, data.length + tail.length);
                    System.arraycopy(tail, 0, longer, data.length, tail.length);
                    data = longer;
                }
                default -> {
                    byte[] other = seeds.get(random.nextInt(seeds.size()));
                    int cut = random.nextInt(data.length + 1);
                    int from = random.nextInt(other.length + 1);
                    byte[] spliced = Arrays.copyOf(data, cut + other.length - from);
                    System.arraycopy(other, from, spliced, cut, other.length - from);
                    data = spliced;
                }
            }
        }
        return data;
    }

    /** Random payload behind a correct header of a type some decoder reads. */
    private static byte[] randomFramed(Random random, int family) {
        byte[] data = new byte[16 + random.nextInt(200)];
        random.nextBytes(data);
        int type = random.nextInt(TYPES.length + 1);
        data = RawNetlink.withU32(data, 0, data.length);
        return RawNetlink.withU16(data, 4, type == TYPES.length ? family : TYPES[type]);
    }
}
