"""The shared sheet machinery: reading files, finding the table, parsing cells, the schema
of a sheet kind, validation, problems, annotated copies and templates."""
