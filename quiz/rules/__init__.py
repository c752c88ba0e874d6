"""The contest's rules, pure: no I/O, no clock, no web."""
