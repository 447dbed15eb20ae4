"""The ``laborcli`` command: thin Typer modules over the library (parse, one core call, render)."""
