#!/usr/bin/env python3
"""Interleaved timing of whole processes, for bench/run.

usage: interleave.py SPEC.json ROUNDS OUT.json

SPEC is a list of {"name", "argv", "env" (optional: variables set for this command, no extra exec), "prepare"
(optional: a shell command run untimed before every run of it), "codes" (optional: exit codes that count as
success, default [0]), "stderr" (optional: true when the command may write on stderr)}. Each command first runs 3 times untimed; then each round runs every command once, in an
order rotated by one from round to round, so that a change of the machine's load between rounds hits every
command alike and ratios taken within a round (paired) cancel it. OUT gets, per command, the wall times and the
CPU times (user + system of the child, from getrusage) in milliseconds, one per round, in round order.
A run that exits with another code, or writes anything on stderr, stops the benchmark: the figures would be of
something else.
"""
import json
import os
import resource
import subprocess
import sys
import time

spec_path, rounds, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
commands = json.load(open(spec_path))


def run(command):
    env = None
    if command.get("env"):
        env = dict(os.environ)
        env.update(command["env"])
    if command.get("prepare"):
        subprocess.run(["sh", "-c", command["prepare"]], check=True, stdout=subprocess.DEVNULL)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command["argv"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000
    if result.returncode not in command.get("codes", [0]) or (result.stderr and not command.get("stderr")):
        sys.exit(f"interleave.py: {command['name']} exited {result.returncode}, stderr: "
                 f"{result.stderr.decode(errors='replace').strip()[:500]!r}")
    return wall, cpu


for command in commands:
    for _ in range(3):
        run(command)
results = {c["name"]: {"wall": [], "cpu": []} for c in commands}
for r in range(rounds):
    shift = r % len(commands)
    for command in commands[shift:] + commands[:shift]:
        wall, cpu = run(command)
        results[command["name"]]["wall"].append(wall)
        results[command["name"]]["cpu"].append(cpu)
json.dump(results, open(out_path, "w"))
