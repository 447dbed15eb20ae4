"""A generated county for trying laborcli and for benchmarks."""
