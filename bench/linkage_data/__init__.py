"""Synthetic data generator for the linkage benchmarks (code only; data goes to bench/results/)."""
