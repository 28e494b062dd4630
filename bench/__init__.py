"""Benchmarks run by `make bench`. Each prints its numbers as ratios against a baseline
measured in the same run, and against the target where the issue sets one."""
