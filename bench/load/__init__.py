"""The load benchmark: `make bench-load` (`python -m bench.load`), kept out of `make bench`.

Two replicas of `medevac serve` (then one) on loopback share one PostgreSQL; a generator
process drives an open-loop mix of console reads, position reports, 9-lines and chat while a
second process holds 500 SSE consoles. This package deliberately has no `main` here, so
`python -m bench` (which runs every module with one) skips it.
"""
