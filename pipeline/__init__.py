"""aptag: tag human-rights reporting with the items of the EU Action Plan on Human Rights and Democracy."""

__version__ = "0.1.0"
