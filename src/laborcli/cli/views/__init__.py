"""How each command's results look: tables for a person, CSV for a spreadsheet (JSON is the core's)."""
