"""Thin Typer command modules: parse options, call the core, render."""
