"""Basing planning: where aircraft and forward teams stand so the most casualties reach care in time.

Pure core (demand, problem, coverage, optimiser, evidence) plus a thin shell (history query,
job store, worker pool, routes, CLI)."""
