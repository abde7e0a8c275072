package org.mptcpstate.document;

import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.InvalidStateException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.util.List;

/**
 * Reads a state file (YAML, or JSON, which YAML 1.2 includes) into a {@link DesiredState}, checking all of it
 * and reporting every problem with the line and column of the node it is about: the bytes are decoded
 * ({@link SourceText}), parsed by a hardened parser ({@link SafeYaml}) and walked ({@link DesiredStateReader})
 * against the keys of each level ({@link Vocabulary}).
 *
 * <p>What is accepted: the keys of docs/state-file.md and of schemas/mptcpstate.schema.json, which describes
 * the same format for editors; the read-only keys {@code mptcpstate show} prints, type-checked and ignored, so
 * show output loads as it is; and the keys nmstate defines that mptcpstate does not manage, accepted without
 * reading their values, each with a warning. Any other key is an error, with the nearest known key suggested.
 *
 * <p>An empty file, a file of comments only, or a document that is only {@code null} ({@code ---} alone,
 * {@code ~}, JSON {@code null}) is the empty desired state: no mptcp settings and no interfaces, so nothing
 * changes.
 */
public final class StateLoader {
    /** The largest state file accepted, in bytes. */
    public static final int MAX_BYTES = SafeYaml.MAX_BYTES;

    private static final DesiredState EMPTY = new DesiredState(null, List.of());

    private StateLoader() {}

    /**
     * Loads a state file.
     *
     * @param fileName what problems name the file by: its path as the user gave it, or {@code -} for stdin
     * @param content  the file's bytes: UTF-8, or UTF-16 with a byte-order mark
     * @return the desired state and the warnings (ignored nmstate keys), both in file order
     * @throws InvalidStateException with every problem found, when there is any
     */
    public static LoadedState load(String fileName, byte[] content) {
        LoadDiagnostics diagnostics = new LoadDiagnostics(fileName);
        DesiredState state = read(content, diagnostics);
        if (diagnostics.hasErrors()) {
            throw new InvalidStateException(diagnostics.errors());
        }
        return new LoadedState(state, diagnostics.warnings());
    }

    private static DesiredState read(byte[] content, LoadDiagnostics diagnostics) {
        if (content.length > MAX_BYTES) {
            diagnostics.error(
                    diagnostics.start(),
                    "the file is larger than 1 MiB (" + MAX_BYTES + " bytes); a state file is far smaller");
            return null;
        }
        String text = SourceText.decode(content, diagnostics);
        if (text == null) {
            return null;
        }
        Node root = SafeYaml.compose(text, diagnostics);
        if (root == null && diagnostics.hasErrors()) {
            return null; // a syntax error or a safety limit: no tree to check
        }
        // (with several documents, the first is still checked)
        if (root == null || root instanceof ScalarNode && root.getTag().equals(Tag.NULL)) {
            return EMPTY;
        }
        return new DesiredStateReader(diagnostics).document(root);
    }
}
