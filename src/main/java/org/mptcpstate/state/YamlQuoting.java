package org.mptcpstate.state;

import tools.jackson.dataformat.yaml.util.StringQuotingChecker;

import java.util.regex.Pattern;

/**
 * Jackson's quoting rules plus every plain scalar that a YAML 1.1 reader (PyYAML, Ansible, older Go and Ruby
 * libraries) would take for a number: hex, octal, binary, underscores, sexagesimal such as 1:20. An
 * interface named {@code 0x10} must come back as the string it is, whatever reads the file.
 */
final class YamlQuoting extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;

    private static final Pattern YAML11_NUMBER = Pattern.compile("[-+]?(?:"
            + "0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+"
            + "|[0-9][0-9_]*(?:\\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?"
            + "|\\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
            + "|[1-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?"
            + "|\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))");

    @Override
    public boolean needToQuoteValue(String value) {
        return super.needToQuoteValue(value) || (!value.isEmpty() && startsLikeNumber(value.charAt(0))
                && YAML11_NUMBER.matcher(value).matches());
    }

    private static boolean startsLikeNumber(char c) {
        return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.';
    }
}
