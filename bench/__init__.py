"""Benchmark tooling for Maillage: national-scale generated data and the workloads run against it."""
