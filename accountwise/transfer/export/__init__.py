"""Spreadsheet export of the lists: definitions (lists), querysets (rows) and file writers."""
