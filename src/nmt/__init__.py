"""NMT: the national platform against prostitution and human trafficking."""

__version__ = "0.1.0"
