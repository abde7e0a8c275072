package org.mptcpstate.cli;

import org.mptcpstate.cli.CommandSpec.OptionSpec;
import org.mptcpstate.cli.CommandSpec.PositionalSpec;

import java.util.List;
import java.util.Locale;

/**
 * Shell completion for bash and zsh, from the declarations --help prints: the commands, each command's options,
 * and for every value or operand what its label says it is (a file, a directory, a network namespace, an
 * interface, a command). A label with no known kind fails the build, so a new one cannot complete nothing quietly.
 */
final class Completions {
    private Completions() {}

    /** What a value or an operand completes to, by its label. */
    enum Kind {
        FILE,
        DIRECTORY,
        NETNS,
        INTERFACE,
        COMMAND,
        NOTHING;

        static Kind of(String label) {
            return switch (label) {
                case "FILE", "PATH" -> FILE;
                case "DIR" -> DIRECTORY;
                case "NAME|PATH" -> NETNS;
                case "IFNAME" -> INTERFACE;
                case "COMMAND" -> COMMAND;
                case "SECONDS", "ADDR" -> NOTHING;
                default -> throw new IllegalArgumentException("no completion is declared for the label " + label);
            };
        }
    }

    // ---------------------------------------------------------------- bash

    static String bash(List<CommandSpec> commands) {
        StringBuilder b = new StringBuilder();
        b.append("# bash completion for mptcpstate(8)                             -*- shell-script -*-\n");
        b.append("# Generated at build time from mptcpstate's command declarations; do not edit.\n\n");
        b.append("# the entries of a directory, one per line\n");
        b.append("_mptcpstate_names() {\n    local entry\n    for entry in \"$1\"/*; do\n"
                + "        [[ -e $entry ]] && printf '%s\\n' \"${entry##*/}\"\n    done\n}\n\n");
        b.append("# --netns takes a name under /run/netns, or a path\n");
        b.append("_mptcpstate_netns() {\n    if [[ $cur == */* ]]; then\n        " + bashValue(Kind.FILE)
                + "\n    else\n        COMPREPLY=($(compgen -W \"$(_mptcpstate_names /run/netns)\" -- \"$cur\"))\n"
                + "    fi\n}\n\n");
        b.append("_mptcpstate() {\n");
        b.append("    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cword=$COMP_CWORD\n");
        b.append("    local commands='").append(names(commands)).append("'\n");
        b.append("    local command= option= prefix= i\n");
        b.append("    # --opt=VALUE: bash splits it into --opt, = and VALUE while = is in COMP_WORDBREAKS (the"
                + " default)\n");
        b.append("    if [[ $cur == = ]]; then\n        option=$prev cur=\n");
        b.append("    elif [[ $prev == = ]] && ((cword >= 2)); then\n        option=${COMP_WORDS[cword-2]}\n");
        b.append("    elif [[ $cur == --*=* ]]; then\n        option=${cur%%=*} prefix=${cur%%=*}= cur=${cur#*=}\n");
        b.append("    else\n        option=$prev\n    fi\n");
        b.append("    for ((i = 1; i < cword; i++)); do\n        case ${COMP_WORDS[i]} in\n"
                + "            -*) ;;\n            *) command=${COMP_WORDS[i]} && break ;;\n        esac\n"
                + "    done\n");
        b.append("    if [[ -z $command ]]; then\n        if [[ $cur == -* ]]; then\n"
                + "            COMPREPLY=($(compgen -W '--help --version -h -V' -- \"$cur\"))\n        else\n"
                + "            COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\"))\n        fi\n        return 0\n"
                + "    fi\n");
        b.append("    case $command in\n");
        for (CommandSpec command : commands) {
            b.append("        ").append(command.name()).append(")\n");
            StringBuilder words = new StringBuilder("--help -h");
            StringBuilder values = new StringBuilder();
            for (OptionSpec option : command.options()) {
                words.append(' ').append(option.longName());
                if (option.shortName() != null) {
                    words.append(' ').append(option.shortName());
                }
                if (option.takesValue()) {
                    values.append("                ")
                            .append(option.longName())
                            .append(option.shortName() == null ? "" : "|" + option.shortName())
                            .append(")\n                    ")
                            .append(bashValue(Kind.of(option.valueLabel())))
                            .append(
                                    "\n                    [[ -n $prefix ]] && COMPREPLY=(\"${COMPREPLY[@]/#/$prefix}\")"
                                            + "\n                    return 0\n                    ;;\n");
                }
            }
            if (values.length() > 0) {
                b.append("            case $option in\n").append(values).append("            esac\n");
            }
            b.append("            if [[ $cur == -* ]]; then\n                COMPREPLY=($(compgen -W '")
                    .append(words)
                    .append("' -- \"$cur\"))\n");
            PositionalSpec positional = command.positional();
            if (positional != null) {
                b.append("            else\n                ")
                        .append(bashValue(Kind.of(positional.label())))
                        .append('\n');
            }
            b.append("            fi\n            ;;\n");
        }
        b.append("    esac\n    return 0\n} &&\n    complete -F _mptcpstate mptcpstate\n");
        return b.toString();
    }

    private static String bashValue(Kind kind) {
        return switch (kind) {
            case FILE -> "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))";
            case DIRECTORY -> "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\"))";
            case NETNS -> "_mptcpstate_netns";
            case INTERFACE -> "COMPREPLY=($(compgen -W \"$(_mptcpstate_names /sys/class/net)\" -- \"$cur\"))";
            case COMMAND -> "COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\"))";
            case NOTHING -> "COMPREPLY=()";
        };
    }

    private static String names(List<CommandSpec> commands) {
        StringBuilder names = new StringBuilder();
        for (CommandSpec command : commands) {
            names.append(names.length() == 0 ? "" : " ").append(command.name());
        }
        return names.toString();
    }

    // ---------------------------------------------------------------- zsh

    static String zsh(List<CommandSpec> commands) {
        StringBuilder z = new StringBuilder();
        z.append("#compdef mptcpstate\n");
        z.append("# zsh completion for mptcpstate(8), generated at build time from mptcpstate's command"
                + " declarations; do not edit.\n\n");
        z.append("_mptcpstate_netns() {\n  local -a names\n  names=(/run/netns/*(N:t))\n"
                + "  _alternative 'netns:network namespace:compadd -a names' 'files:namespace file:_files'\n}\n\n");
        z.append("_mptcpstate_interfaces() {\n  local -a names\n  names=(/sys/class/net/*(N:t))\n"
                + "  _wanted interfaces expl interface compadd -a names\n}\n\n");
        z.append("_mptcpstate_commands() {\n  local -a commands\n  commands=(\n");
        for (CommandSpec command : commands) {
            z.append("    ")
                    .append(quote(command.name() + ":" + command.summary().replace(":", "\\:")))
                    .append('\n');
        }
        z.append("  )\n  _describe -t commands 'mptcpstate command' commands\n}\n\n");
        z.append("_mptcpstate() {\n  local curcontext=$curcontext state line ret=1\n  typeset -A opt_args\n");
        z.append("  _arguments -C \\\n")
                .append("    '(- *)'{-h,--help}'[show the help and exit]' \\\n")
                .append("    '(- *)'{-V,--version}'[print version information and exit]' \\\n")
                .append("    '1: :_mptcpstate_commands' \\\n")
                .append("    '*:: :->args' && ret=0\n");
        z.append("  case $state in\n    args)\n      curcontext=${curcontext%:*:*}:mptcpstate-$words[1]:\n"
                + "      case $words[1] in\n");
        for (CommandSpec command : commands) {
            z.append("        ").append(command.name()).append(")\n          _arguments \\\n");
            z.append("            '(- *)'{-h,--help}'[show the help and exit]' \\\n");
            for (OptionSpec option : command.options()) {
                String spec = option.longName()
                        + (option.takesValue() ? "=" : "")
                        + "[" + describe(option.description()) + "]"
                        + (option.takesValue()
                                ? ":" + option.valueLabel().toLowerCase(Locale.ROOT) + ":"
                                        + zshAction(Kind.of(option.valueLabel()))
                                : "");
                z.append("            ").append(quote(spec)).append(" \\\n");
            }
            PositionalSpec positional = command.positional();
            if (positional != null) {
                String arity = positional.maximum() > 1 ? "*:" : positional.minimum() == 0 ? "::" : ":";
                z.append("            ")
                        .append(quote(arity + positional.label().toLowerCase(Locale.ROOT) + ":"
                                + zshAction(Kind.of(positional.label()))))
                        .append(" \\\n");
            }
            z.append("            && ret=0\n          ;;\n");
        }
        z.append("      esac\n      ;;\n  esac\n  return ret\n}\n\n_mptcpstate \"$@\"\n");
        return z.toString();
    }

    private static String zshAction(Kind kind) {
        return switch (kind) {
            case FILE -> "_files";
            case DIRECTORY -> "_files -/";
            case NETNS -> "_mptcpstate_netns";
            case INTERFACE -> "_mptcpstate_interfaces";
            case COMMAND -> "_mptcpstate_commands";
            case NOTHING -> " ";
        };
    }

    /** An option's description for _arguments: its first sentence, with [ ] : and backslash escaped. */
    private static String describe(String description) {
        int end = description.indexOf(". ");
        String first = end < 0 ? description : description.substring(0, end + 1);
        return first.replace("\\", "\\\\")
                .replace("[", "\\[")
                .replace("]", "\\]")
                .replace(":", "\\:")
                .replace("`", "");
    }

    /** One single-quoted zsh word. */
    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
