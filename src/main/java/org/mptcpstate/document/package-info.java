/**
 * Reading and writing files: the state-file loader ({@link org.mptcpstate.document.StateLoader}: decoding, a
 * hardened YAML parser, the vocabulary of keys, typed readers, the document walk, "did you mean") and the writer
 * of the show document ({@link org.mptcpstate.document.ShowWriter}: YAML by our own emitter, JSON by Jackson's
 * streaming generator).
 *
 * <p>May use: {@code state}; snakeyaml-engine and jackson-core.
 */
package org.mptcpstate.document;
