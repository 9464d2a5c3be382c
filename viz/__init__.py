"""Maps and reports made from analysis results."""
