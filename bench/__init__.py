"""Speed benchmarks under load: pipeline throughput, submit-to-alert latency, timer lateness, memory.

Run them all: python -m bench [--quick] [--database-url postgresql://…]; each one alone:
python -m bench.pipeline | bench.latency | bench.timers | bench.memory (see --help).
"""
