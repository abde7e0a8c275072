#!/usr/bin/env zsh
# zsh-complete.zsh DIR TEXT...: in one real interactive zsh (on a pseudo-terminal, zsh/zpty) whose fpath starts
# with DIR, after compinit, types each TEXT and TAB, then clears the line; prints every match the completion
# offered as "TEXT<tab>MATCH" lines (compadd is wrapped to log them). Used by PackageTreeTest for _mptcpstate.
emulate -L zsh
zmodload zsh/zpty || exit 2
local dir=${1:A}
shift
local log=$(mktemp) dump=$(mktemp -u)
zpty shell zsh -f -i
zpty -w shell "PS1='> '; fpath=($dir \$fpath); autoload -Uz compinit; compinit -u -d $dump"
zpty -w shell "compadd() { local -a m; builtin compadd -O m \"\$@\"; print -rl -- \$m >> $log; builtin compadd \"\$@\"; }"
local typed i size last
for typed in "$@"; do
  : >| $log
  zpty -n -w shell "$typed"$'\t'
  last=-1
  for i in {1..200}; do
    size=$(wc -c < $log)
    (( size > 0 && size == last )) && break
    last=$size
    sleep 0.1
  done
  for match in ${(u)${(f)"$(<$log)"}}; do
    print -r -- "$typed"$'\t'"$match"
  done
  zpty -n -w shell $'\C-u'
done
zpty -d shell
rm -f $log $dump
