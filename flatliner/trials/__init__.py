"""Training runs: reproducible seeds, paired studies and the run store."""
