"""Broken ledgers, one fixture per case, each with the place and message the reader must give."""
