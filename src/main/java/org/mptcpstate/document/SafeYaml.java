package org.mptcpstate.document;

import org.mptcpstate.state.Printable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.comments.CommentLine;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlVersionException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * snakeyaml-engine, hardened for files from anyone: the node tree of the first document, or a positioned error.
 * Enforced before or while parsing, each reported as a problem rather than an exception:
 * <ul>
 * <li>{@link #MAX_BYTES} (1 MiB) of input, checked by {@link StateLoader} on the bytes before anything is
 * decoded; snakeyaml-engine's own {@code codePointLimit} is set to the same value behind it (it counts code
 * points, never more than the bytes of UTF-8 text).</li>
 * <li>{@link #MAX_ALIASES_FOR_COLLECTIONS} aliases to lists or mappings (snakeyaml-engine's
 * {@code maxAliasesForCollections}; its default is 50): the guard against "billion laughs" documents.</li>
 * <li>{@link #MAX_DEPTH} levels of nested lists and mappings. snakeyaml-engine 3 offers no depth limit and
 * composes nodes recursively, so the parser's collection events are counted here and the document stops at the
 * first one too deep, before the composer can exhaust the stack. nmstate documents nest about ten levels at
 * most.</li>
 * </ul>
 * A YAML syntax error ends the reading of the file: it is reported alone, as no tree exists to check.
 */
final class SafeYaml {
    /** The largest state file accepted, in bytes. */
    static final int MAX_BYTES = 1 << 20;
    /** The most aliases ({@code *name}) to lists or mappings one file may hold. */
    static final int MAX_ALIASES_FOR_COLLECTIONS = 10;
    /** The deepest nesting of lists and mappings accepted. */
    static final int MAX_DEPTH = 32;

    private SafeYaml() {}

    private static LoadSettings settings() {
        return LoadSettings.builder()
                .setSchema(new CoreSchema())
                .setCodePointLimit(MAX_BYTES)
                .setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS)
                // duplicate keys are checked by snakeyaml's constructor only, which we do not use: the loader
                // reports each one itself, with its position
                .setAllowDuplicateKeys(true)
                // a list or mapping as a key: reported by the loader with a position (the library's own error
                // has none)
                .setAllowNonScalarKeys(true)
                .setAllowRecursiveKeys(false)
                .setParseComments(false)
                .setUseMarks(true)
                .build();
    }

    /** The first document's root node; null for no document or on a syntax error (recorded). */
    static Node compose(String text, LoadDiagnostics diagnostics) {
        LoadSettings settings = settings();
        GuardedParser parser = new GuardedParser(new ParserImpl(settings, new StreamReader(settings, text)));
        Composer composer = new LeanComposer(settings, parser, diagnostics);
        try {
            if (!composer.hasNext()) {
                return null;
            }
            Node root = composer.next();
            if (composer.hasNext()) {
                diagnostics.error(
                        diagnostics.position(parser.peekEvent().getStartMark()),
                        "a second YAML document starts here; a state file holds one");
            }
            return root;
        } catch (TooDeepException e) {
            diagnostics.error(
                    diagnostics.position(e.mark), "lists and mappings nested deeper than " + MAX_DEPTH + " levels");
        } catch (MarkedYamlEngineException e) {
            syntaxError(e, diagnostics);
        } catch (ReaderException e) {
            diagnostics.error(
                    SourceText.positionOfCodePoint(diagnostics.file(), text, e.getPosition()),
                    "character U+" + hex4(e.getCodePoint()) + " is not allowed in YAML");
        } catch (YamlVersionException e) {
            // the directive opens the file, and the exception has no position
            diagnostics.error(
                    diagnostics.start(),
                    "%YAML " + e.getSpecVersion().getRepresentation()
                            + " is not a YAML version this reader takes (1.x)");
        } catch (YamlEngineException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("Number of aliases")) {
                diagnostics.error(
                        diagnostics.position(parser.lastAlias),
                        "more than " + MAX_ALIASES_FOR_COLLECTIONS + " aliases to lists or mappings (a safety limit)");
            } else {
                diagnostics.error(diagnostics.start(), "YAML: " + Printable.of(message));
            }
        }
        return null;
    }

    private static void syntaxError(MarkedYamlEngineException e, LoadDiagnostics diagnostics) {
        Optional<Mark> mark = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
        String problem =
                e.getProblem() == null ? "" : Printable.of(e.getProblem().trim());
        String message;
        if (problem.contains("\\t(TAB)")) {
            message = "a tab character where YAML takes spaces only: indent with spaces";
        } else {
            message = "YAML syntax: " + problem;
            String context =
                    e.getContext() == null ? "" : Printable.of(e.getContext().trim());
            if (!context.isEmpty()) {
                message += " (" + context;
                if (e.getContextMark().isPresent() && e.getProblemMark().isPresent()) {
                    message += " started at " + LoadDiagnostics.where(diagnostics.position(e.getContextMark()));
                }
                message += ")";
            }
        }
        diagnostics.error(diagnostics.position(mark), message);
    }

    /**
     * The parser as the composer sees it, counting nesting (snakeyaml-engine has no depth limit, and its
     * composer recurses) and remembering the last alias (its alias-limit error has no position).
     */
    private static final class GuardedParser implements Parser {
        private final Parser parser;
        private int depth;
        Optional<Mark> lastAlias = Optional.empty();

        GuardedParser(Parser parser) {
            this.parser = parser;
        }

        @Override
        public boolean checkEvent(Event.ID id) {
            return parser.checkEvent(id);
        }

        @Override
        public Event peekEvent() {
            return parser.peekEvent();
        }

        @Override
        public boolean hasNext() {
            return parser.hasNext();
        }

        @Override
        public Event next() {
            Event event = parser.next();
            Event.ID id = event.getEventId();
            if (id == Event.ID.MappingStart || id == Event.ID.SequenceStart) {
                if (++depth > MAX_DEPTH) {
                    throw new TooDeepException(event.getStartMark());
                }
            } else if (id == Event.ID.MappingEnd || id == Event.ID.SequenceEnd) {
                depth--;
            } else if (id == Event.ID.Alias) {
                lastAlias = event.getStartMark();
            }
            return event;
        }
    }

    /**
     * snakeyaml's composer, keeping of each node only what the loader reads: its start mark. End marks and
     * (empty) comment lists are dropped as each node is made; they were a third of the node tree, which for a
     * file near the 1 MiB limit is the largest thing in memory (measured: 30 MB of live heap for 890 KB).
     */
    private static final class LeanComposer extends Composer {
        private final LoadDiagnostics diagnostics;
        /**
         * The first merge key ({@code <<}) of each mapping being composed, by its list of entries. snakeyaml-engine
         * folds the merged entries into the mapping when it ends (the first merge wins, PyYAML's last), so two merge
         * keys would never reach the loader's duplicate-key check: they are reported here, as any duplicate key.
         */
        private final Map<List<NodeTuple>, Node> firstMergeKey = new IdentityHashMap<>();

        LeanComposer(LoadSettings settings, Parser parser, LoadDiagnostics diagnostics) {
            super(settings, parser);
            this.diagnostics = diagnostics;
        }

        @Override
        protected void composeMappingChildren(List<NodeTuple> children, MappingNode node) {
            super.composeMappingChildren(children, node);
            Node key = children.get(children.size() - 1).getKeyNode();
            if (!Tag.MERGE.equals(key.getTag())) {
                return;
            }
            Node first = firstMergeKey.putIfAbsent(children, key);
            if (first != null) {
                diagnostics.error(
                        key,
                        "duplicate key '<<' (first at " + LoadDiagnostics.where(diagnostics.position(first))
                                + "); to merge several mappings, give them as one list: <<: [*a, *b]");
            }
        }

        @Override
        protected Node composeScalarNode(Optional<Anchor> anchor, List<CommentLine> blockComments) {
            Node node = withoutComments(super.composeScalarNode(anchor, blockComments));
            if (anchor.isPresent() || !(node instanceof ScalarNode scalar)) {
                return node; // an anchored node stays the one its aliases share
            }
            // the end mark has no setter on a scalar: a copy with the start mark only
            return new ScalarNode(
                    scalar.getTag(),
                    true,
                    scalar.getValue(),
                    scalar.getScalarStyle(),
                    scalar.getStartMark(),
                    Optional.empty());
        }

        @Override
        protected SequenceNode composeSequenceNode(Optional<Anchor> anchor) {
            SequenceNode node = withoutComments(super.composeSequenceNode(anchor));
            node.setEndMark(Optional.empty());
            return node;
        }

        @Override
        protected Node composeMappingNode(Optional<Anchor> anchor) {
            Node node = withoutComments(super.composeMappingNode(anchor));
            if (node instanceof MappingNode mapping) {
                mapping.setEndMark(Optional.empty());
            }
            return node;
        }

        private static <N extends Node> N withoutComments(N node) {
            node.setBlockComments(null);
            node.setInLineComments(null);
            node.setEndComments(null);
            return node;
        }
    }

    private static final class TooDeepException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Optional<Mark> mark;

        TooDeepException(Optional<Mark> mark) {
            super(null, null, false, false);
            this.mark = mark;
        }
    }

    private static String hex4(int value) {
        StringBuilder hex = new StringBuilder(Integer.toHexString(value).toUpperCase(java.util.Locale.ROOT));
        while (hex.length() < 4) {
            hex.insert(0, '0');
        }
        return hex.toString();
    }
}
