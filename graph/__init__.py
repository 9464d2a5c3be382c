"""The model, the graph built from a ledger, the stores and the analyses (no I/O but stores)."""
