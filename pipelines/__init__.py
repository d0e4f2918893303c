"""Pipelines after a spider: clean, relevance, extraction and the store."""
