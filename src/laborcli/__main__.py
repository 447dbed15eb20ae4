"""``python -m laborcli``: the same as the ``laborcli`` command (cron jobs with one Python)."""

from laborcli.cli.entry import run

run()
