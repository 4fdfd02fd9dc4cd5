"""Errors of the server room that reach users; kept free of heavy imports so the CLI can catch them cheaply."""


class ConfigError(Exception):
    """A setting that cannot be used; the message names the variable."""
