"""Workbooks and data files for officers: reports, lists, review sheets."""
