"""initcheck: executable checks of published claims about weight initialization."""

__version__ = "0.1.0"
