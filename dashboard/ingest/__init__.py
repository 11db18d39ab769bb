"""Data files: reading, checking and loading the YAML and CSV files the commission maintains."""
