"""The crash matrix in parts: cells, triggers, runs, comparison, verdict, table."""
