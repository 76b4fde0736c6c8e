"""Benchmarks behind `make bench`: every module here with a `main()` runs, in name order."""
