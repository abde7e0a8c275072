package org.mptcpstate.document;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.mptcpstate.state.InvalidStateException;

/**
 * Jazzer: any bytes as a state file; {@link StateLoader#load} returns or throws {@link InvalidStateException},
 * nothing else. In `mvn verify` this runs the seed corpus in
 * src/test/resources/org/mptcpstate/state/StateLoaderFuzzTestInputs (the examples and part of the hostile
 * corpus); JAZZER_FUZZ=1 fuzzes.
 */
class StateLoaderFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void anyFile(byte[] input) {
        try {
            StateLoader.load("fuzz.yml", input);
        } catch (InvalidStateException expected) {
            // the one refusal the loader may report
        }
    }
}
